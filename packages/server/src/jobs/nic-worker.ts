// Drives attachNetworkInterface and detachNetworkInterface onto hosts. The service writes the
// task on the interface's row first (the interface shows `attaching`/`detaching`); a worker leases
// rows with a task, waits until the network plane holds the interface's port, plugs (or unplugs)
// the NIC into the instance on its host — hot when it runs, into the definition either way — and,
// for a running guest, waits until the plane reports the port bound before the interface shows
// `attached`. Every host call is idempotent by MAC, so a re-run after a crash converges; a host
// that does not answer leaves the lease to lapse and the task is tried again. Any other failure
// ends the task with the interface back where it was, and the reason on it.
import { isHypervisorError } from '@kumo/hypervisor';
import type { InterfaceAttachmentsModel, NetworkInterfaceRecord } from '@kumo/store';
import type { HostAccess } from '../compute/host-registry.js';
import type { Logger } from '../logger.js';
import type { TaskNetwork } from './context.js';
import { WorkLoop } from './work-loop.js';

/** What the worker needs. */
export interface NicWorkerDeps {
  attachments: InterfaceAttachmentsModel;
  /** One interface by id. */
  nic(id: string): Promise<NetworkInterfaceRecord | undefined>;
  /** The host of an instance (null: it has none; undefined: the instance is gone). */
  instanceHost(instanceId: string): Promise<string | null | undefined>;
  hosts: HostAccess;
  network: Pick<TaskNetwork, 'bridge' | 'converged' | 'portUp'>;
  owner: string;
  leaseSeconds: number;
  intervalMs: number;
  log: Logger;
  /** Test hook (KUMO_TEST_CRASH_AT): the process dies like `kill -9` at `nic:<task>` or `nic:<task>:after`. */
  crashAt?: string;
}

const BATCH = 20;

/** One process's NIC attach/detach worker. */
export class NicWorker {
  private readonly loop: WorkLoop;

  constructor(private readonly d: NicWorkerDeps) {
    this.loop = new WorkLoop({
      name: 'nic attach',
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

  /** Runs a pass now (or right after the current one). */
  kick(): void {
    this.loop.kick();
  }

  /** Passes until one finds nothing to claim. */
  drain(): Promise<void> {
    return this.loop.drain();
  }

  private async pass(): Promise<number> {
    const ids = await this.d.attachments.claimWork(this.d.owner, this.d.leaseSeconds, BATCH);
    await Promise.all(ids.map((id) => this.leased(id)));
    return ids.length;
  }

  private async leased(id: string): Promise<void> {
    const { attachments, owner, leaseSeconds, log } = this.d;
    const beat = setInterval(
      () => void attachments.renew(id, owner, leaseSeconds).catch(() => undefined),
      Math.max(500, (leaseSeconds * 1000) / 3),
    );
    let nic: NetworkInterfaceRecord | undefined;
    try {
      nic = await this.d.nic(id);
      if (nic?.attachTask && nic.instanceId) await this.run(nic, nic.attachTask, nic.instanceId);
    } catch (err) {
      if (isHypervisorError(err, 'HOST_UNAVAILABLE')) {
        log.warn({ err, networkInterfaceId: id }, 'host or network plane unavailable; will retry');
        return;
      }
      const task = nic?.attachTask ?? 'attach';
      log.error({ err, networkInterfaceId: id, task }, 'network interface task failed');
      // A failed attach leaves the interface detached; a failed detach leaves it attached.
      const reason = `${task} failed: ${(err as Error).message}`.slice(0, 500);
      await attachments.finish(id, owner, task === 'detach', reason);
    } finally {
      clearInterval(beat);
    }
  }

  private async run(nic: NetworkInterfaceRecord, task: 'attach' | 'detach', instanceId: string) {
    const { attachments, owner, network } = this.d;
    this.point(`nic:${task}`);
    const hostId = await this.d.instanceHost(instanceId);
    if (task === 'attach') {
      if (!hostId) throw new Error(`instance ${instanceId} has no host`);
      await network.converged(nic.id);
      const running = await this.d.hosts.with(hostId, async (h) => {
        await h.plugNic(instanceId, {
          mac: nic.mac,
          ovn: { bridge: network.bridge, interfaceId: nic.interfaceId },
        });
        return (await h.state(instanceId)) === 'running';
      });
      this.point('nic:attach:after');
      if (running) await network.portUp(nic.id);
      await attachments.finish(nic.id, owner, true, null);
      return;
    }
    // An instance with no host, or no domain on it, holds no device to unplug.
    if (hostId)
      await this.d.hosts
        .with(hostId, (h) => h.unplugNic(instanceId, nic.mac))
        .catch((err: unknown) => {
          if (!isHypervisorError(err, 'NOT_FOUND')) throw err;
        });
    this.point('nic:detach:after');
    await attachments.finish(nic.id, owner, false, null);
  }

  private point(p: string): void {
    if (this.d.crashAt === p) process.kill(process.pid, 'SIGKILL');
  }
}
