// The libvirt domains of Kumo instances on one host: find one by instance id, read its power state
// and persistent definition, write a definition. No lifecycle decisions live here.
import { DomainXmlFlags, isNotFound, type Domain } from '@kumo/libvirt';
import type { HostContext } from '../context.js';
import { HypervisorError } from '../errors.js';
import type { PowerState } from '../spec.js';
import { domainFromXml, domainToXml, type DomainConfig } from '../xml/domain.js';
import { powerStateOf } from './power-state.js';

/** Domain access on one host. */
export class Domains {
  constructor(private readonly ctx: HostContext) {}

  /** The domain of instance `id`, or undefined when the host has none. */
  async lookup(id: string): Promise<Domain | undefined> {
    try {
      return await this.ctx.lv.domainLookupByName(this.ctx.names.domain(id));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The domain of instance `id`; NOT_FOUND when the host has none. */
  async require(id: string): Promise<Domain> {
    const d = await this.lookup(id);
    if (!d) throw new HypervisorError('NOT_FOUND', `instance ${id} is not on this host`);
    return d;
  }

  /** The domain's power state. */
  async state(d: Domain): Promise<PowerState> {
    return powerStateOf((await this.ctx.lv.domainGetState(d)).state);
  }

  /** INVALID_STATE (naming `op`) unless the domain is stopped. */
  async requireStopped(d: Domain, id: string, op: string): Promise<void> {
    if ((await this.state(d)) !== 'stopped')
      throw new HypervisorError('INVALID_STATE', `${op} needs instance ${id} stopped`, op);
  }

  /** The persistent definition (what the next start uses), secrets included so a redefine keeps them. */
  async config(d: Domain): Promise<DomainConfig> {
    return domainFromXml(
      await this.ctx.lv.domainGetXmlDesc(d, DomainXmlFlags.INACTIVE | DomainXmlFlags.SECURE),
    );
  }

  /** Defines (or redefines) a domain. */
  define(cfg: DomainConfig): Promise<Domain> {
    return this.ctx.lv.domainDefineXml(domainToXml(cfg));
  }
}
