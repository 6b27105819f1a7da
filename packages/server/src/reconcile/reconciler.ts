// Brings the inventory in line with what hosts report: lifecycle events plus a periodic sweep
// under an advisory lock (one sweeper across all kumod processes). It never touches an instance
// with a task in flight, re-queues tasks whose worker died, and removes domains no instance owns.
// The decisions are in decide.ts; this file only observes and applies them.
import { ID_PATTERNS } from '@kumo/contract';
import type { PowerState } from '@kumo/hypervisor';
import type {
  HostRecord,
  HostsModel,
  ImagesModel,
  InstanceAdminModel,
  InstanceRecord,
  InstancesModel,
  InstanceTasksModel,
  TaskName,
  Transactions,
} from '@kumo/store';
import type { HostRegistry } from '../compute/host-registry.js';
import type { ComputeConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { decide, decideUnreachable, isOrphan } from './decide.js';

// One sweeper per host and one for tasks across all kumods; a hung host holds only its own lock.
const hostLock = (hostId: string) => `reconcile:host:${hostId}`;
const TASKS_LOCK = 'reconcile:tasks';
/** Hosts swept at once: enough to keep a slow host from delaying the rest, few database connections. */
const HOST_SWEEP_CONCURRENCY = 4;

/** What the reconciler reads, writes and re-queues through. */
export interface ReconcilerDeps {
  tx: Transactions;
  hosts: HostsModel;
  instances: InstancesModel;
  images: ImagesModel;
  leases: InstanceTasksModel;
  admin: InstanceAdminModel;
  registry: HostRegistry;
  enqueue: (instanceId: string, task: TaskName) => Promise<void>;
  compute: ComputeConfig;
  log: Logger;
}

/** The reconciler of one kumod process. */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(private readonly d: ReconcilerDeps) {}

  /** Subscribes to host events and starts the periodic sweep. */
  start(): void {
    this.d.registry.onEvent((hostId, ev) => {
      if (ev.kind === 'other' || ev.kind === 'defined') return;
      void this.reconcileOne(hostId, ev.id).catch((err: unknown) =>
        this.d.log.debug({ err, instanceId: ev.id }, 'event reconcile failed'),
      );
    });
    const every = this.d.compute.reconcileIntervalSeconds * 1000;
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
    setTimeout(() => void this.sweep(), 100).unref();
  }

  /** Stops the periodic sweep. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One sweep: tasks first (deadlines, orphans), then every host, each under its own lock so that
   * another kumod sweeping a host, or a host that hangs, never holds up the others. Returns whether
   * the task part ran here (false when another process holds it or this one is still sweeping).
   */
  async sweep(): Promise<boolean> {
    if (this.sweeping) return false;
    this.sweeping = true;
    try {
      const r = await this.d.tx.tryLocked(TASKS_LOCK, async () => {
        await this.expireTasks();
        await this.requeueOrphans();
      });
      const hosts = [...(await this.d.hosts.list())];
      const next = async (): Promise<void> => {
        for (let host = hosts.shift(); host; host = hosts.shift()) {
          await this.d.tx
            .tryLocked(hostLock(host.id), () => this.sweepHost(host))
            .catch((err: unknown) => this.d.log.warn({ err, hostId: host.id }, 'host sweep failed'));
        }
      };
      await Promise.all(Array.from({ length: HOST_SWEEP_CONCURRENCY }, next));
      return r.ran;
    } catch (err) {
      this.d.log.warn({ err }, 'reconcile sweep failed');
      return false;
    } finally {
      this.sweeping = false;
    }
  }

  /** Tasks that could not finish by their deadline fail, so the instance can be deleted or reset. */
  private async expireTasks(): Promise<void> {
    const { admin, compute, log } = this.d;
    for (const t of await admin.expireTasks(compute.taskDeadlineSeconds, compute.taskStaleSeconds))
      log.warn({ instanceId: t.id, task: t.task, reason: t.reason }, 'task failed by its deadline');
    // An image whose createImage task ended without settling it (failed by its deadline, reset by
    // the admin) can never become ready: it fails too, so it can be deleted.
    for (const id of await this.d.images.failOrphanedPending())
      log.warn({ imageId: id }, 'image failed: its createImage task ended');
  }

  private async sweepHost(host: HostRecord): Promise<void> {
    const { registry, instances, log } = this.d;
    const up = await registry.probe(host);
    const mine = await instances.onHost(host.id);
    if (!up) {
      for (const inst of mine) await this.apply(inst, decideUnreachable(inst));
      return;
    }
    const domains = new Map((await registry.with(host.id, (h) => h.list())).map((d) => [d.id, d.state]));
    for (const inst of mine) await this.settle(inst, domains.get(inst.id) ?? 'absent');
    // Domains, and volumes without a domain (a spawn that crashed before defining it, a force-
    // deleted instance), that no instance row owns are leftovers: remove them with their volumes.
    const volumeOwners = await registry.with(host.id, (h) => h.volumeOwners());
    const candidates = [...new Set([...domains.keys(), ...volumeOwners])];
    const rows = new Map((await instances.getMany(candidates)).map((i) => [i.id, i]));
    for (const id of candidates) {
      if (isOrphan(id, host.id, rows.get(id), ID_PATTERNS.instance)) {
        log.warn(
          { hostId: host.id, instanceId: id, domain: domains.has(id) },
          'removing orphan instance leftovers',
        );
        await registry.with(host.id, (h) => h.destroy(id));
      }
    }
  }

  private async apply(inst: InstanceRecord, patch: ReturnType<typeof decide>): Promise<void> {
    if (!patch) return;
    if (patch.status === 'error' && patch.errorReason && patch.errorReason !== inst.errorReason) {
      this.d.log.warn({ instanceId: inst.id, reason: patch.errorReason }, 'instance observed in error');
    }
    await this.d.instances.observe(inst.id, { status: inst.status }, patch);
  }

  /** Applies one observation to a settled instance (no task in flight). */
  private async settle(inst: InstanceRecord, power: PowerState): Promise<void> {
    await this.apply(inst, decide(inst, power));
  }

  /** Re-checks one instance after an event from its host. */
  async reconcileOne(hostId: string, instanceId: string): Promise<void> {
    const inst = await this.d.instances.get(instanceId);
    if (!inst || inst.hostId !== hostId || inst.task) return;
    const power = await this.d.registry.with(hostId, (h) => h.state(instanceId));
    await this.settle(inst, power);
  }

  /** Tasks whose worker vanished (crash, kill -9, lost lease) are queued again. */
  private async requeueOrphans(): Promise<void> {
    const { leases, compute, log } = this.d;
    for (const inst of await leases.orphaned(compute.taskStaleSeconds)) {
      const task = inst.task!;
      if (!(await leases.markRequeued(inst.id, task))) continue;
      log.info({ instanceId: inst.id, task }, 're-queueing orphaned task');
      await this.d.enqueue(inst.id, task);
    }
  }
}
