// The network plane as the admin API sees it: what the engine holds (by Kumo id) and how much of
// the inventory still waits to converge. kumod may run without a plane (driver not installed):
// then objects stay in the inventory, unconverged, and this says so.
import { Errors } from '@kumo/contract';
import type { PlaneSyncModel } from '@kumo/store';
import type { NetworkPlane, PlaneInventory } from '../drivers/network-plane.js';

/** Admin reads of the network plane. */
export class NetworkPlaneService {
  constructor(
    private readonly d: { sync: PlaneSyncModel; plane: () => NetworkPlane | undefined; driver: string },
  ) {}

  /** The plane's inventory and the number of unconverged rows. */
  async inventory(): Promise<PlaneInventory & { driver: string; pending: number }> {
    const plane = this.d.plane();
    if (!plane) throw Errors.unavailable(`The network plane (driver ${this.d.driver})`);
    // Pending first: a caller that sees 0 then gets a plane at least as new as that moment.
    const pending = await this.d.sync.pending();
    const inv = await plane.inventory();
    const sort = (a: string[]) => [...a].sort();
    return {
      driver: this.d.driver,
      pending,
      vpcs: sort(inv.vpcs),
      subnets: sort(inv.subnets),
      ports: sort(inv.ports),
      securityGroups: sort(inv.securityGroups),
      elasticIps: sort(inv.elasticIps),
      externalNetworks: sort(inv.externalNetworks),
      vpcGateways: sort(inv.vpcGateways),
    };
  }
}
