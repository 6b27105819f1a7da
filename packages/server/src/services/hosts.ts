// Host administration: register a libvirt host (checked by connecting to it), list, drain,
// enable and remove; regions and AZs exist because hosts are registered in them.
import { Errors, type AddHostParams } from '@kumo/contract';
import { UniqueViolation, type HostRecord, type HostsModel } from '@kumo/store';
import type { HostRegistry } from '../compute/host-registry.js';
import { checkHostUri, type HostUriPolicy } from './host-uri.js';

/** Host operations. */
export class HostService {
  constructor(
    private readonly hosts: HostsModel,
    private readonly registry: HostRegistry,
    private readonly uriPolicy: HostUriPolicy,
  ) {}

  /** The regions and AZs that exist: those some host is registered in (both APIs list them). */
  zones(): Promise<{ regionId: string; az: string }[]> {
    return this.hosts.zones();
  }

  /** Registers a host after proving Kumo can reach it and use its pool; reads its capacity. */
  async add(req: AddHostParams): Promise<HostRecord> {
    // Before any connection: the URI decides which sockets and files kumod opens.
    checkHostUri(req.uri, this.uriPolicy);
    if (!req.az.startsWith(req.regionId) || !/^[a-z]$/.test(req.az.slice(req.regionId.length))) {
      throw Errors.invalidParameter('az', 'must be the region id plus one letter, e.g. cn-north-1a');
    }
    let accelerator: AddHostParams['accelerator'];
    try {
      const h = await this.registry.open(req);
      // Remember what a probe found, so it runs once per host rather than at every connection.
      accelerator = h.profile.accelerator;
      await h.close();
    } catch (err) {
      throw Errors.hostUnreachable((err as Error).message.slice(0, 300));
    }
    let record: HostRecord;
    try {
      record = await this.hosts.create({ ...req, accelerator });
    } catch (err) {
      if (err instanceof UniqueViolation) throw Errors.hostNameInUse(req.name);
      throw err;
    }
    await this.registry.probe(record);
    return (await this.hosts.find(record.id))!;
  }

  /** Every host. */
  list(): Promise<HostRecord[]> {
    return this.hosts.list();
  }

  /** One host by id or name. */
  async get(idOrName: string): Promise<HostRecord> {
    const h = await this.hosts.find(idOrName);
    if (!h) throw Errors.hostNotFound(idOrName.slice(0, 64));
    return h;
  }

  /** drain (no new placements) or enable. */
  async setEnabled(idOrName: string, enabled: boolean): Promise<HostRecord> {
    const h = await this.get(idOrName);
    await this.hosts.setEnabled(h.id, enabled);
    return (await this.hosts.find(h.id))!;
  }

  /** Removes a host that has no instances. */
  async remove(idOrName: string): Promise<void> {
    const h = await this.get(idOrName);
    const r = await this.hosts.delete(h.id);
    if (r === 'in-use') throw Errors.hostInUse(h.id);
    await this.registry.drop(h.id);
  }
}
