// Brings the inventory in line with what hosts report: lifecycle events plus a periodic sweep under
// an advisory lock (one sweeper across all kumod processes). It never touches an instance with a
// task in flight, re-queues tasks whose worker died, and removes domains no instance owns.
import type { PowerState } from '@kumo/hypervisor';
import type { HostRecord, InstanceRecord, InstanceStatus } from '@kumo/store';
import type { JobContext } from '../jobs/context.js';
import type { JobRunner } from '../jobs/runner.js';

const SWEEP_LOCK = 0x6b750003;
const HOST_UNREACHABLE = 'host unreachable';
const INSTANCE_ID = /^i-[a-z0-9]{12}$/;

/** What status an observed power state implies for a settled instance. */
function statusFor(power: PowerState): InstanceStatus | undefined {
  if (power === 'running' || power === 'paused') return 'running';
  // A guest still shutting down is not stopped yet: its status changes when it is really off.
  if (power === 'stopped') return 'stopped';
  if (power === 'crashed') return 'error';
  return undefined;
}

/** The reconciler of one kumod process. */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly ctx: JobContext,
    private readonly runner: JobRunner,
  ) {}

  /** Subscribes to host events and starts the periodic sweep. */
  start(): void {
    this.ctx.registry.onEvent((hostId, ev) => {
      if (ev.kind === 'other' || ev.kind === 'defined') return;
      void this.reconcileOne(hostId, ev.id).catch((err: unknown) =>
        this.ctx.log.debug({ err, instanceId: ev.id }, 'event reconcile failed'),
      );
    });
    const every = this.ctx.compute.reconcileIntervalSeconds * 1000;
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
    setTimeout(() => void this.sweep(), 100).unref();
  }

  /** Stops the periodic sweep. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One sweep, if no other process is sweeping now. Returns whether it ran. */
  async sweep(): Promise<boolean> {
    if (this.sweeping) return false;
    this.sweeping = true;
    try {
      return await this.ctx.db.transaction(async (trx) => {
        const got = await trx.raw<{ rows: { ok: boolean }[] }>('SELECT pg_try_advisory_xact_lock(?) AS ok', [
          SWEEP_LOCK,
        ]);
        if (!got.rows[0]?.ok) return false;
        for (const host of await this.ctx.hosts.list()) await this.sweepHost(host);
        await this.requeueOrphans();
        return true;
      });
    } catch (err) {
      this.ctx.log.warn({ err }, 'reconcile sweep failed');
      return false;
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepHost(host: HostRecord): Promise<void> {
    const { registry, instances } = this.ctx;
    const up = await registry.probe(host);
    const mine = await instances.onHost(host.id);
    if (!up) {
      for (const inst of mine) {
        if (inst.task || inst.status === 'error') continue;
        await instances.observe(
          inst.id,
          { status: inst.status },
          { status: 'error', error_reason: HOST_UNREACHABLE, power_state: 'unknown' },
        );
      }
      return;
    }
    const domains = new Map((await registry.with(host.id, (h) => h.list())).map((d) => [d.id, d.state]));
    for (const inst of mine) await this.settle(inst, domains.get(inst.id) ?? 'absent');
    // Domains of this installation that no instance row owns are leftovers of a crash: remove them.
    // Owned: the row exists and places the instance here, or a task (e.g. a spawn moving hosts) is in flight.
    const owned = new Set(
      (await instances.getMany([...domains.keys()]))
        .filter((i) => i.hostId === host.id || i.task)
        .map((i) => i.id),
    );
    for (const id of domains.keys()) {
      if (!owned.has(id) && INSTANCE_ID.test(id)) {
        this.ctx.log.warn({ hostId: host.id, instanceId: id }, 'removing orphan domain');
        await registry.with(host.id, (h) => h.destroy(id));
      }
    }
  }

  /** Applies one observation to a settled instance (no task in flight). */
  private async settle(inst: InstanceRecord, power: PowerState): Promise<void> {
    if (inst.task) return;
    const { instances, log } = this.ctx;
    if (power === 'absent') {
      if (inst.status !== 'error' || inst.errorReason === HOST_UNREACHABLE) {
        log.warn({ instanceId: inst.id }, 'domain vanished from its host');
        await instances.observe(
          inst.id,
          { status: inst.status },
          {
            status: 'error',
            power_state: 'absent',
            error_reason: 'domain vanished from its host',
          },
        );
      }
      return;
    }
    const want = statusFor(power);
    const healing = inst.status === 'error' && inst.errorReason === HOST_UNREACHABLE;
    if (want && (want !== inst.status || healing) && (inst.status !== 'error' || healing)) {
      await instances.observe(
        inst.id,
        { status: inst.status },
        {
          status: want,
          power_state: power,
          error_reason: want === 'error' ? 'guest crashed' : null,
        },
      );
    } else if (power !== inst.powerState) {
      await instances.observe(inst.id, { status: inst.status }, { power_state: power });
    }
  }

  /** Re-checks one instance after an event from its host. */
  async reconcileOne(hostId: string, instanceId: string): Promise<void> {
    const inst = await this.ctx.instances.get(instanceId);
    if (!inst || inst.hostId !== hostId || inst.task) return;
    const power = await this.ctx.registry.with(hostId, (h) => h.state(instanceId));
    await this.settle(inst, power);
  }

  /** Tasks whose worker vanished (crash, kill -9, lost lease) are queued again. */
  private async requeueOrphans(): Promise<void> {
    const { instances, compute, log } = this.ctx;
    for (const inst of await instances.orphanedTasks(compute.taskStaleSeconds)) {
      if (!(await instances.markRequeued(inst.id, inst.task!))) continue;
      log.info({ instanceId: inst.id, task: inst.task }, 're-queueing orphaned task');
      await this.runner.enqueue(inst.id, inst.task as Parameters<JobRunner['enqueue']>[1]);
    }
  }
}
