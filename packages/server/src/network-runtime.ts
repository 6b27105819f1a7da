// The network plane of one kumod process: the connection to the engine, the converger and the
// plane's reconciler, and the narrow view task steps get of it (TaskNetwork). It owns no policy:
// services decide what the inventory holds; this drives it into the engine and waits on it.
import { readFile } from 'node:fs/promises';
import { HypervisorError } from '@kumo/hypervisor';
import type { NetworkInterfacesModel, PlaneSyncModel, Transactions } from '@kumo/store';
import type { Config } from './config.js';
import type { NetworkPlane } from './drivers/network-plane.js';
import type { DriverRegistry } from './drivers/registry.js';
import type { TaskNetwork } from './jobs/context.js';
import { NetworkConverger } from './jobs/network-converger.js';
import type { Logger } from './logger.js';
import { NetworkReconciler } from './reconcile/network.js';

// How long a step waits for the converger before handing the task back to run again later.
const CONVERGE_WAIT_MS = 30_000;
const POLL_MS = 100;

/**
 * The network plane of one kumod: connected at start through the configured driver (retried in
 * the background while the engine is unreachable), then the converger and its reconciler. With
 * no such driver registered kumod still serves: network objects wait in the inventory.
 */
export class NetworkRuntime {
  plane: NetworkPlane | undefined;
  private converger: NetworkConverger | undefined;
  private reconciler: NetworkReconciler | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly drivers: DriverRegistry,
    private readonly config: Config,
    private readonly tx: Transactions,
    private readonly sync: PlaneSyncModel,
    private readonly log: Logger,
  ) {}

  kick(): void {
    this.converger?.kick();
  }

  async start(): Promise<void> {
    const { driver } = this.config.network;
    if (!this.drivers.network.names().includes(driver)) {
      this.log.warn({ driver }, 'network plane driver not available; network objects will wait unconverged');
      return;
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    const { driver, endpoint, tls, syncLeaseSeconds, syncIntervalMs } = this.config.network;
    try {
      // Read at each attempt, so a file fixed while kumod waits for the plane is picked up.
      const pems = tls && {
        key: await readFile(tls.keyFile, 'utf8'),
        cert: await readFile(tls.certFile, 'utf8'),
        ca: await readFile(tls.caFile, 'utf8'),
      };
      this.plane = await this.drivers.network.get(driver)({ endpoint, ...(pems ? { tls: pems } : {}) });
    } catch (err) {
      this.log.warn({ err, driver, endpoint }, 'cannot reach the network plane; retrying in 5 s');
      if (!this.stopped) this.retry = setTimeout(() => void this.connect(), 5000).unref();
      return;
    }
    const owner = `${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.converger = new NetworkConverger({
      sync: this.sync,
      plane: this.plane,
      owner,
      leaseSeconds: syncLeaseSeconds,
      intervalMs: syncIntervalMs,
      log: this.log,
    });
    this.reconciler = new NetworkReconciler({
      tx: this.tx,
      sync: this.sync,
      plane: this.plane,
      intervalMs: this.config.compute.reconcileIntervalSeconds * 1000,
      log: this.log,
      changed: () => this.kick(),
    });
    this.converger.start();
    this.reconciler.start();
    this.log.info({ driver, endpoint }, 'network plane connected');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.reconciler?.stop();
    await this.converger?.stop();
    await this.plane?.close();
  }
}

/** TaskNetwork over a kumod's runtime: waits on the inventory's convergence and the plane's port state. */
export function taskNetwork(
  runtime: NetworkRuntime,
  interfaces: NetworkInterfacesModel,
  sync: PlaneSyncModel,
  config: Config['network'],
): TaskNetwork {
  const unavailable = (why: string) => new HypervisorError('HOST_UNAVAILABLE', `network plane: ${why}`);
  return {
    bridge: config.bridge,
    interfaces: (instanceId) => interfaces.ofInstance(undefined, instanceId),
    async converged(id) {
      const deadline = Date.now() + CONVERGE_WAIT_MS;
      runtime.kick();
      for (;;) {
        const done = await sync.isConverged('network_interfaces', id);
        if (done === undefined) throw new Error(`network interface ${id} no longer exists`);
        if (done) return;
        if (Date.now() > deadline) throw unavailable(`interface ${id} not converged yet`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    async portUp(id) {
      const plane = runtime.plane;
      if (!plane) throw unavailable('not connected');
      try {
        await plane.waitPortUp(id, config.portUpTimeoutSeconds * 1000);
      } catch (err) {
        throw new HypervisorError('HOST_UNAVAILABLE', `network plane: port ${id} not up`, undefined, {
          cause: err,
        });
      }
    },
  };
}
