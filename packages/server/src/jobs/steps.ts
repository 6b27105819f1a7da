// The step engine: a task is a small state machine of named, idempotent steps (Ubicloud's prog
// style). Before a step runs its name is recorded on the instance row under the task's lease, so
// a task taken over by another kumod resumes at the step that was in progress; every write is
// fenced, so a worker that lost its lease stops at its next write — and, once its heartbeat has
// found the lease gone (`lost`), at its next host call, even in the middle of a step. The engine
// ends the task with the lifecycle table's `done` status. It must not know what any one task does.
import { isHypervisorError } from '@kumo/hypervisor';
import type { ActionResult, InstancePatch, InstanceRecord, TaskName } from '@kumo/store';
import type { TaskContext } from './context.js';
import { FAILED_STATUS, TRANSITIONS } from './lifecycle.js';

/** The fenced writes of one task (InstanceTasksModel implements it; unit tests fake it). */
export interface TaskLease {
  recordStep(id: string, task: TaskName, owner: string, step: string): Promise<boolean>;
  update(id: string, task: TaskName, owner: string, patch: InstancePatch): Promise<boolean>;
  /** Ends the task and closes its action-log entry with `result`, atomically. */
  finish(
    id: string,
    task: TaskName,
    owner: string,
    patch: InstancePatch,
    result: ActionResult,
  ): Promise<boolean>;
  finishDelete(id: string, owner: string): Promise<boolean>;
}

/** Thrown by {@link TaskRun.update} when the lease is gone: the run must stop. */
export class LeaseLost extends Error {
  constructor(id: string, task: TaskName) {
    super(`lost the lease on ${task} of ${id}`);
    this.name = 'LeaseLost';
  }
}

/** One run of a task by one worker. */
export interface TaskRun {
  /** The instance as this run last wrote it. */
  inst: InstanceRecord;
  readonly task: TaskName;
  readonly owner: string;
  /** Per-run memory of steps (e.g. the hosts a spawn already tried); not persisted. */
  readonly scratch: Record<string, unknown>;
  /** Writes fields under the lease; throws LeaseLost when the lease is gone. */
  update(patch: InstancePatch): Promise<void>;
}

/** What a step asks for next: the following step (nothing), another step, or failure. */
export type StepOutcome = void | { hop: string } | { fail: string; patch?: InstancePatch };

/** One named, idempotent step: it re-checks its own postcondition and does nothing if it holds. */
export interface Step {
  name: string;
  run(ctx: TaskContext, run: TaskRun): Promise<StepOutcome>;
}

/** A task: its steps in order, and what it adds at the end. */
export interface TaskDefinition {
  task: TaskName;
  steps: readonly Step[];
  /** Fields written with the `done` status (the status itself is the lifecycle table's). */
  done?(run: TaskRun): InstancePatch;
  /** A step threw (not HOST_UNAVAILABLE): hop elsewhere or fail. Default: fail. */
  recover?(ctx: TaskContext, run: TaskRun, err: Error): Promise<StepOutcome>;
  /** The lease was lost: undo whatever this run made that no one else will own. */
  fenced?(ctx: TaskContext, run: TaskRun): Promise<void>;
}

/** How a run ended. */
export type RunOutcome = { kind: 'done' } | { kind: 'failed'; reason: string } | { kind: 'fenced' };

const MAX_HOPS = 50;

/**
 * Runs `def` from the step recorded on the row (or the first). A HOST_UNAVAILABLE error
 * propagates, leaving the step recorded for a later run; any other error goes to `recover`.
 */
export async function runTask(
  def: TaskDefinition,
  taskCtx: TaskContext,
  lease: TaskLease,
  inst: InstanceRecord,
  owner: string,
  lost?: AbortSignal,
): Promise<RunOutcome> {
  // Steps reach hosts through a guard that refuses once the lease is known lost; the cleanup of a
  // fenced run (def.fenced) uses the plain context: it must still reach the host.
  const ctx = lost ? { ...taskCtx, hosts: fencedHosts(taskCtx.hosts, lost, inst.id, def.task) } : taskCtx;
  const index = (name: string) => {
    const i = def.steps.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`task ${def.task} has no step '${name}'`);
    return i;
  };
  const run: TaskRun = {
    inst,
    task: def.task,
    owner,
    scratch: {},
    update: async (patch) => {
      if (!(await lease.update(inst.id, def.task, owner, patch))) throw new LeaseLost(inst.id, def.task);
      run.inst = { ...run.inst, ...patch };
    },
  };
  const fenced = async (): Promise<RunOutcome> => {
    ctx.log.info({ instanceId: inst.id, task: def.task }, 'task lost its lease; stopping');
    await def.fenced?.(taskCtx, run);
    return { kind: 'fenced' };
  };
  // A step name this version does not know (recorded by another version) restarts the task:
  // every step is idempotent, so starting over is always safe, only slower.
  let i = inst.taskStep && def.steps.some((s) => s.name === inst.taskStep) ? index(inst.taskStep) : 0;
  for (let hops = 0; i < def.steps.length; hops++) {
    if (hops > MAX_HOPS) throw new Error(`task ${def.task} hopped more than ${MAX_HOPS} times`);
    const step = def.steps[i]!;
    if (!(await lease.recordStep(inst.id, def.task, owner, step.name))) return fenced();
    let outcome: StepOutcome;
    try {
      outcome = await step.run(ctx, run);
    } catch (err) {
      if (err instanceof LeaseLost) return fenced();
      if (isHypervisorError(err, 'HOST_UNAVAILABLE')) throw err;
      try {
        outcome = def.recover ? await def.recover(ctx, run, err as Error) : { fail: (err as Error).message };
      } catch (again) {
        if (again instanceof LeaseLost) return fenced();
        throw again;
      }
    }
    if (outcome && 'hop' in outcome) {
      i = index(outcome.hop);
    } else if (outcome && 'fail' in outcome) {
      const reason = `${def.task} failed: ${outcome.fail}`.slice(0, 500);
      const ok = await lease.finish(
        inst.id,
        def.task,
        owner,
        { ...outcome.patch, status: FAILED_STATUS, errorReason: reason },
        { outcome: 'failed', detail: reason },
      );
      return ok ? { kind: 'failed', reason } : fenced();
    } else {
      i++;
    }
  }
  const done = TRANSITIONS[def.task].done;
  const ok =
    done === 'gone'
      ? await lease.finishDelete(inst.id, owner)
      : await lease.finish(
          inst.id,
          def.task,
          owner,
          { ...def.done?.(run), status: done },
          { outcome: 'succeeded' },
        );
  return ok ? { kind: 'done' } : fenced();
}

/**
 * Host access that throws LeaseLost instead of calling a host once `lost` fired: on entering
 * `with`, and before every method of the driver it hands out (a step that makes several host
 * calls stops between them).
 */
function fencedHosts(
  hosts: TaskContext['hosts'],
  lost: AbortSignal,
  id: string,
  task: TaskName,
): TaskContext['hosts'] {
  const check = () => {
    if (lost.aborted) throw new LeaseLost(id, task);
  };
  return {
    with: (hostId, fn) => {
      check();
      return hosts.with(hostId, (h) =>
        fn(
          new Proxy(h, {
            get(target, prop, receiver) {
              const v: unknown = Reflect.get(target, prop, receiver);
              if (typeof v !== 'function') return v;
              return (...args: unknown[]) => {
                check();
                return (v as (...a: unknown[]) => unknown).apply(target, args);
              };
            },
          }),
        ),
      );
    },
  };
}
