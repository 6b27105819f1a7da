// Durable instance jobs on PostgreSQL through pg-boss: delivery, persistence and worker polling are
// pg-boss's; who may run a task is decided by a lease on the instance row, renewed by heartbeats,
// so a kumod killed mid-task is replaced by another (or itself restarted) once the lease goes stale.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import PgBoss from 'pg-boss';
import { isHypervisorError } from '@kumo/hypervisor';
import type { InstanceRow } from '@kumo/store';
import type { TaskName } from '../compute/lifecycle.js';
import type { JobContext } from './context.js';
import { TASKS } from './tasks.js';

const QUEUE = 'instance-task';

/** The payload of one job. */
export interface TaskJob {
  instanceId: string;
  task: TaskName;
}

/** Enqueues and runs instance tasks. */
export class JobRunner {
  /** Identifies this process in task leases. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly boss: PgBoss;
  private started = false;
  private workers = 0;
  // Tasks this process is running now: a later pg-boss delivery of the same job must not start a
  // second run beside the first (takeLease lets the same owner in again).
  private readonly inFlight = new Set<string>();

  constructor(
    databaseUrl: string,
    private readonly ctx: JobContext,
  ) {
    this.boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 4 });
    this.boss.on('error', (err) => ctx.log.warn({ err }, 'job queue error'));
  }

  /** Starts pg-boss (creating its schema on first use) and this process's workers. */
  async start(workers: number): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(QUEUE);
    for (let i = 0; i < workers; i++) {
      await this.boss.work<TaskJob>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (job) await this.run(job.data);
      });
    }
    this.workers = workers;
    this.started = true;
  }

  /** Queues a task for an instance that was just claimed for it. */
  async enqueue(instanceId: string, task: TaskName): Promise<void> {
    // Retries are ours (lease expiry + the reconciler), not pg-boss's: a failed task has a status.
    await this.boss.send(QUEUE, { instanceId, task } satisfies TaskJob, { retryLimit: 0, expireInHours: 2 });
    // Fast path: start at once when this process has a free worker, instead of waiting up to
    // pg-boss's 0.5 s poll. The queued job stays the durable path (crash, other processes).
    if (this.started && this.inFlight.size < this.workers) {
      void this.run({ instanceId, task }).catch((err: unknown) =>
        this.ctx.log.error({ err, instanceId, task }, 'task run failed'),
      );
    }
  }

  /** Runs one task if this worker can take its lease. */
  async run(job: TaskJob): Promise<void> {
    const key = `${job.instanceId}:${job.task}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      await this.runLeased(job);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async runLeased(job: TaskJob): Promise<void> {
    const { instances, compute, log } = this.ctx;
    const inst = await instances.takeLease(job.instanceId, job.task, this.owner, compute.taskStaleSeconds);
    if (!inst) return; // finished already, or another live worker holds it
    const beat = setInterval(
      () => {
        instances.heartbeat(inst.id, job.task, this.owner).catch(() => undefined);
      },
      Math.max(1000, (compute.taskStaleSeconds * 1000) / 4),
    );
    const run = {
      inst,
      update: async (patch: Partial<InstanceRow>) => {
        await instances.updateUnderLease(inst.id, job.task, this.owner, patch);
      },
      finish: async (patch: Partial<InstanceRow>) => {
        if (await instances.finishTask(inst.id, job.task, this.owner, patch)) {
          const failed = patch.status === 'error';
          await this.ctx.actions.finish(
            inst.id,
            job.task,
            failed ? 'failed' : 'succeeded',
            patch.error_reason ?? undefined,
          );
        }
      },
    };
    try {
      await TASKS[job.task](this.ctx, run);
      if (job.task === 'delete') await this.ctx.actions.finish(inst.id, 'delete', 'succeeded');
    } catch (err) {
      if (isHypervisorError(err, 'HOST_UNAVAILABLE')) {
        // Give the lease back; the reconciler re-queues the task once the host answers again.
        log.warn({ instanceId: inst.id, task: job.task, err }, 'host unavailable; task will be retried');
        await instances.updateUnderLease(inst.id, job.task, this.owner, {
          task_owner: null,
          task_heartbeat_at: null,
        });
      } else {
        log.error({ instanceId: inst.id, task: job.task, err }, 'task failed');
        await run.finish({
          status: 'error',
          error_reason: `${job.task} failed: ${(err as Error).message}`.slice(0, 500),
        });
      }
    } finally {
      clearInterval(beat);
    }
  }

  /** Stops workers, letting running tasks finish for up to `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.started) return;
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  }
}
