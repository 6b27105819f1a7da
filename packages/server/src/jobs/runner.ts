// Durable instance tasks on PostgreSQL through pg-boss: delivery, persistence and worker polling
// are pg-boss's; who may run a task is decided by a lease on the instance row, renewed by
// heartbeats, so a kumod killed mid-task is replaced by another (or itself restarted) once the
// lease goes stale, and resumes at the step recorded on the row. What a task does is in tasks/.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import PgBoss from 'pg-boss';
import { isHypervisorError } from '@kumo/hypervisor';
import type { InstanceActionsModel, InstanceTasksModel, TaskName } from '@kumo/store';
import type { TaskContext } from './context.js';
import { FAILED_STATUS } from './lifecycle.js';
import { runTask } from './steps.js';
import { TASKS } from './tasks/index.js';

const QUEUE = 'instance-task';

/** The payload of one queued task. */
export interface QueuedTask {
  instanceId: string;
  task: TaskName;
}

/** What the runner needs besides the steps' context. */
export interface RunnerDeps {
  databaseUrl: string;
  leases: InstanceTasksModel;
  actions: InstanceActionsModel;
  ctx: TaskContext;
  /** Told how each run ended (metrics); `retry` = given back because the host did not answer. */
  observe?(task: TaskName, outcome: 'done' | 'failed' | 'fenced' | 'retry', seconds: number): void;
}

/** Queues and runs instance tasks. */
export class TaskRunner {
  /** Identifies this process in task leases. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly boss: PgBoss;
  private started = false;
  private workers = 0;
  // Tasks this process is running now: a later pg-boss delivery of the same task must not start a
  // second run beside the first (takeLease lets the same owner in again).
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: RunnerDeps) {
    this.boss = new PgBoss({ connectionString: deps.databaseUrl, schema: 'pgboss', max: 4 });
    this.boss.on('error', (err) => deps.ctx.log.warn({ err }, 'task queue error'));
  }

  /** Starts pg-boss (creating its schema on first use) and this process's workers. */
  async start(workers: number): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(QUEUE);
    for (let i = 0; i < workers; i++) {
      await this.boss.work<QueuedTask>(
        QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 0.5 },
        async ([job]) => {
          if (job) await this.run(job.data);
        },
      );
    }
    this.workers = workers;
    this.started = true;
  }

  /** Queues a task for an instance that was just claimed for it. */
  async enqueue(instanceId: string, task: TaskName): Promise<void> {
    // Retries are ours (lease expiry + the reconciler), not pg-boss's: a failed task has a status.
    await this.boss.send(QUEUE, { instanceId, task } satisfies QueuedTask, {
      retryLimit: 0,
      expireInHours: 2,
    });
    // Fast path: start at once when this process has a free worker, instead of waiting up to
    // pg-boss's 0.5 s poll. The queued job stays the durable path (crash, other processes).
    if (this.started && this.inFlight.size < this.workers) {
      void this.run({ instanceId, task }).catch((err: unknown) =>
        this.deps.ctx.log.error({ err, instanceId, task }, 'task run failed'),
      );
    }
  }

  /** Runs one task if this worker can take its lease. */
  async run(queued: QueuedTask): Promise<void> {
    const key = `${queued.instanceId}:${queued.task}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      await this.runLeased(queued);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async runLeased(queued: QueuedTask): Promise<void> {
    const { leases, actions, ctx } = this.deps;
    const { compute, log } = ctx;
    const inst = await leases.takeLease(queued.instanceId, queued.task, this.owner, compute.taskStaleSeconds);
    if (!inst) return; // finished already, preempted, or another live worker holds it
    // A heartbeat that finds the lease gone (another worker took it over, or a delete preempted
    // the task) stops this run at its next host call, not only at its next write.
    const lost = new AbortController();
    const beat = setInterval(
      () => {
        leases
          .heartbeat(inst.id, queued.task, this.owner)
          .then((held) => {
            if (!held) lost.abort();
          })
          .catch(() => undefined);
      },
      Math.max(1000, (compute.taskStaleSeconds * 1000) / 4),
    );
    const started = Date.now();
    const observe = (o: 'done' | 'failed' | 'fenced' | 'retry') =>
      this.deps.observe?.(queued.task, o, (Date.now() - started) / 1000);
    try {
      const outcome = await runTask(TASKS[queued.task], ctx, leases, inst, this.owner, lost.signal);
      observe(outcome.kind);
      if (outcome.kind === 'fenced') {
        // Another task took the instance (a delete of a pending instance): this one's action
        // ends here. A takeover of the same task by another worker leaves it to that worker.
        const now = await ctx.inventory.instance(inst.id);
        if (now?.task !== queued.task) {
          await actions.finish(inst.id, queued.task, 'failed', `superseded by ${now?.task ?? 'delete'}`);
        }
      }
      if (outcome.kind === 'failed') {
        log.error({ instanceId: inst.id, task: queued.task, reason: outcome.reason }, 'task failed');
      }
    } catch (err) {
      if (isHypervisorError(err, 'HOST_UNAVAILABLE')) {
        // Give the lease back; the reconciler re-queues the task once the host answers again,
        // and the run resumes at the step recorded on the row.
        log.warn({ instanceId: inst.id, task: queued.task, err }, 'host unavailable; task will be retried');
        observe('retry');
        await leases.giveBack(inst.id, queued.task, this.owner);
      } else {
        log.error({ instanceId: inst.id, task: queued.task, err }, 'task failed');
        observe('failed');
        const reason = `${queued.task} failed: ${(err as Error).message}`.slice(0, 500);
        await leases.finish(
          inst.id,
          queued.task,
          this.owner,
          { status: FAILED_STATUS, errorReason: reason },
          { outcome: 'failed', detail: reason },
        );
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
