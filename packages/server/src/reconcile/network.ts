// Compares what the network plane holds with the inventory: objects the plane has and no row
// names (leftovers of a crash or of a lost database write) are removed, children first; live
// rows marked converged that the plane lacks (an engine restored from an older backup, a row
// deleted by hand) are marked unconverged so the converger recreates them. One sweeper at a time
// across kumods (advisory lock); the inventory is read after the plane so a row created
// meanwhile is never taken for an orphan.
import type { PlaneSyncModel, PlaneTable, Transactions } from '@kumo/store';
import type { NetworkPlane, PlaneInventory } from '../drivers/network-plane.js';
import type { Logger } from '../logger.js';

const SWEEP_LOCK = 'reconcile:network';

// Removal order (children first) with the plane's name for each table.
const KINDS: {
  table: PlaneTable;
  key: keyof PlaneInventory;
  remove: (p: NetworkPlane, id: string) => Promise<void>;
}[] = [
  { table: 'elastic_ips', key: 'elasticIps', remove: (p, id) => p.removeElasticIp(id) },
  { table: 'network_interfaces', key: 'ports', remove: (p, id) => p.removePort(id) },
  { table: 'security_groups', key: 'securityGroups', remove: (p, id) => p.removeSecurityGroup(id) },
  { table: 'subnets', key: 'subnets', remove: (p, id) => p.removeSubnet(id) },
  {
    table: 'vpcs',
    key: 'vpcs',
    remove: async (p, id) => {
      await p.removeVpcGateway(id);
      await p.removeVpc(id);
    },
  },
  { table: 'external_networks', key: 'externalNetworks', remove: (p, id) => p.removeExternalNetwork(id) },
];

/** What one sweep did. */
export interface NetworkSweep {
  removed: string[];
  remarked: number;
}

/** The network plane's reconciler. */
export class NetworkReconciler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly d: {
      tx: Transactions;
      sync: PlaneSyncModel;
      plane: NetworkPlane;
      intervalMs: number;
      log: Logger;
      /** Called after a sweep re-marked rows, so the converger runs at once. */
      changed: () => void;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep().catch(() => undefined), this.d.intervalMs);
    this.timer.unref();
    setTimeout(() => void this.sweep().catch(() => undefined), 100).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sweep unless another kumod is sweeping; undefined when it did not run. */
  async sweep(): Promise<NetworkSweep | undefined> {
    try {
      const r = await this.d.tx.tryLocked(SWEEP_LOCK, () => this.sweepLocked());
      return r.ran ? r.value : undefined;
    } catch (err) {
      this.d.log.warn({ err }, 'network reconcile sweep failed');
      return undefined;
    }
  }

  private async sweepLocked(): Promise<NetworkSweep> {
    const { sync, plane, log } = this.d;
    const inventory = await plane.inventory();
    const out: NetworkSweep = { removed: [], remarked: 0 };
    for (const kind of KINDS) {
      const known = await sync.ids(kind.table);
      for (const id of inventory[kind.key]) {
        if (known.has(id)) continue;
        log.warn({ kind: kind.key, id }, 'removing an orphan from the network plane');
        await kind.remove(plane, id);
        out.removed.push(id);
      }
      const held = new Set(inventory[kind.key]);
      const missing = (await sync.convergedIds(kind.table)).filter((id) => !held.has(id));
      if (missing.length > 0) {
        log.warn(
          { kind: kind.key, ids: missing.slice(0, 20) },
          'network plane lacks converged objects; recreating',
        );
        out.remarked += await sync.remarkMissing(kind.table, missing);
      }
    }
    if (out.remarked > 0) this.d.changed();
    return out;
  }
}
