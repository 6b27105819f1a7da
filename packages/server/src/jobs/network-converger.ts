// Drives the network inventory into the NetworkPlane, level-triggered: it claims rows whose desired
// generation is ahead of the converged one (with a lease, so kumods sharing a database split the
// work and a killed one's claims lapse), calls the plane's idempotent ensure*/remove* and records
// the result. A tombstone is removed from the plane before its row is deleted, so a crash at any
// point leaves a row that the next pass finishes. Runs on a timer and whenever a service kicks it.
import type { PlaneSyncModel, PlaneTable, PlaneWork } from '@kumo/store';
import { PLANE_TABLES } from '@kumo/store';
import type { NetworkPlane, PlaneRule } from '../drivers/network-plane.js';
import type { Logger } from '../logger.js';
import { WorkLoop } from './work-loop.js';

/** What the converger needs. */
export interface ConvergerDeps {
  sync: PlaneSyncModel;
  plane: NetworkPlane;
  owner: string;
  leaseSeconds: number;
  intervalMs: number;
  log: Logger;
}

const BATCH = 50;
/** The guests' MTU on OVN's Geneve overlay: 1500 less the tunnel headers (OVN's own advice). */
export const OVERLAY_MTU = 1442;
// Creation order, then removal order: parents exist before children, children go before parents.
const ORDER: PlaneTable[] = [...PLANE_TABLES, ...[...PLANE_TABLES].reverse()];

/** One process's converger. */
export class NetworkConverger {
  private readonly loop: WorkLoop;

  constructor(private readonly d: ConvergerDeps) {
    this.loop = new WorkLoop({
      name: 'network converge',
      intervalMs: d.intervalMs,
      maxPasses: 20,
      log: d.log,
      pass: () => this.pass(),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs a pass now (or right after the current one): the fast path after an API change. */
  kick(): void {
    this.loop.kick();
  }

  /** Passes until a pass finds nothing to do; resolves when done (tests await it). */
  drain(): Promise<void> {
    return this.loop.drain();
  }

  private async pass(): Promise<number> {
    let done = 0;
    for (const table of ORDER) {
      const work = await this.d.sync.claim(table, this.d.owner, this.d.leaseSeconds, BATCH);
      for (const w of work) if (await this.apply(w)) done++;
    }
    return done;
  }

  private async apply(w: PlaneWork): Promise<boolean> {
    const { sync, owner, log } = this.d;
    try {
      if (w.deleting) {
        await this.remove(w.table, w.id);
        return sync.removed(w, owner);
      }
      const row = await sync.row(w.table, w.id);
      if (!row) return false;
      await this.ensure(w.table, row);
      return sync.converged(w, owner);
    } catch (err) {
      log.warn({ err, table: w.table, id: w.id }, 'network plane call failed; will retry');
      await sync.failed(w, owner, (err as Error).message, 1);
      return false;
    }
  }

  private async remove(table: PlaneTable, id: string): Promise<void> {
    const p = this.d.plane;
    if (table === 'vpcs') {
      await p.removeVpcGateway(id);
      await p.removeVpc(id);
    } else if (table === 'external_networks') await p.removeExternalNetwork(id);
    else if (table === 'elastic_ips') await p.removeElasticIp(id);
    else if (table === 'subnets') await p.removeSubnet(id);
    else if (table === 'security_groups') await p.removeSecurityGroup(id);
    else await p.removePort(id);
  }

  private async ensure(table: PlaneTable, r: Record<string, unknown>): Promise<void> {
    const p = this.d.plane;
    const id = r.id as string;
    if (table === 'vpcs') {
      await p.ensureVpc({ id, cidr: r.cidr as string });
      if (!r.gateway_ip) return p.removeVpcGateway(id);
      return p.ensureVpcGateway({
        vpcId: id,
        externalNetworkId: r.gateway_network_id as string,
        ip: r.gateway_ip as string,
        mac: r.gateway_mac as string,
      });
    }
    if (table === 'external_networks') {
      return p.ensureExternalNetwork({
        id,
        cidr: r.cidr as string,
        gateway: r.gateway as string,
        physicalNetwork: r.physical_network as string,
        ...(r.vlan != null ? { vlan: r.vlan as number } : {}),
        gatewayChassis: r.gateway_chassis as string[],
      });
    }
    if (table === 'elastic_ips') {
      // An EIP bound to nothing is not in the plane at all.
      const port = r.interface_id
        ? await this.d.sync.row('network_interfaces', r.interface_id as string)
        : undefined;
      if (!port) return p.removeElasticIp(id);
      return p.ensureElasticIp({
        id,
        vpcId: port.vpc_id as string,
        ip: r.ip as string,
        portId: port.id as string,
        logicalIp: r.private_ip as string,
        bandwidthMbps: r.bandwidth_mbps as number,
      });
    }
    if (table === 'subnets') {
      return p.ensureSubnet({
        id,
        vpcId: r.vpc_id as string,
        cidr: r.cidr as string,
        gateway: r.gateway as string,
        gatewayMac: r.gateway_mac as string,
        // The router answers DNS nowhere yet: guests get the gateway, as the NAT plane did.
        dnsServers: [r.gateway as string],
        mtu: OVERLAY_MTU,
      });
    }
    if (table === 'security_groups') {
      const rules = (await this.d.sync.rules(id)).map(toPlaneRule);
      return p.ensureSecurityGroup({ id, vpcId: r.vpc_id as string, rules });
    }
    const chassis = await this.d.sync.chassisOf(id);
    await p.ensurePort({
      id,
      interfaceId: r.interface_id as string,
      subnetId: r.subnet_id as string,
      mac: r.mac as string,
      ips: await this.d.sync.addresses(id),
      securityGroupIds: r.security_group_ids as string[],
      ...(chassis ? { chassis } : {}),
    });
  }
}

function toPlaneRule(r: Record<string, unknown>): PlaneRule {
  return {
    id: r.id as string,
    direction: r.direction as PlaneRule['direction'],
    protocol: r.protocol as PlaneRule['protocol'],
    ...(r.from_port != null ? { fromPort: r.from_port as number } : {}),
    ...(r.to_port != null ? { toPort: r.to_port as number } : {}),
    cidr: r.cidr as string,
    action: r.action as PlaneRule['action'],
    priority: r.priority as number,
  };
}
