// The instance lifecycle as data, the one table every transition goes through: which statuses a
// task may start from, the status shown while it runs, where it ends, and which task in flight it
// may preempt. Services claim with it; the task runner finishes with it. No I/O here.
import type { ClaimRequest, InstanceStatus, TaskName } from '@kumo/store';

/** One task's transition. */
export interface Transition {
  /** Statuses a claim accepts when no task is in flight (empty: only a new row starts here). */
  from: readonly InstanceStatus[];
  /** The status pollers see while the task runs. */
  transient: InstanceStatus;
  /** The status on success, or `gone` when the row goes away. */
  done: InstanceStatus | 'gone';
  /** Tasks in flight this one may take the instance from. */
  preempts?: readonly TaskName[];
}

/** Contract §2.2, plus spawn (createInstances: a new row, pending → running). */
export const TRANSITIONS: Readonly<Record<TaskName, Transition>> = {
  spawn: { from: [], transient: 'pending', done: 'running' },
  start: { from: ['stopped'], transient: 'starting', done: 'running' },
  stop: { from: ['running'], transient: 'stopping', done: 'stopped' },
  reboot: { from: ['running'], transient: 'rebooting', done: 'running' },
  resize: { from: ['stopped'], transient: 'resizing', done: 'stopped' },
  rebuild: { from: ['stopped'], transient: 'rebuilding', done: 'stopped' },
  // createImage: the instance stays `stopped` to pollers (JD shows no imaging status), and the
  // claimed task keeps every other operation out until the root disk has been copied.
  image: { from: ['stopped'], transient: 'stopped', done: 'stopped' },
  // Tencent's AssociateInstancesKeyPairs: a stopped instance (or, with ForceStop, a running one,
  // powered off first) gets a new seed with its keys, and ends stopped.
  keys: { from: ['stopped', 'running'], transient: 'stopping', done: 'stopped' },
  // Admin evacuate: an instance of a host that is down comes up on another host of its AZ from its
  // shared (rbd) disks; from error too, which is what the reconciler shows for a dead host's.
  evacuate: { from: ['running', 'stopped', 'error'], transient: 'starting', done: 'running' },
  // JD allows deleting a pending instance: the delete wins over the spawn in flight, which is
  // fenced out by the claim and cleans up after itself (see tasks/createInstances.ts).
  delete: {
    from: ['pending', 'running', 'stopped', 'error'],
    transient: 'deleting',
    done: 'gone',
    preempts: ['spawn'],
  },
};

/** The status a task fails into. */
export const FAILED_STATUS: InstanceStatus = 'error';

/** The claim a lifecycle operation makes (the store runs it as one conditional update). */
export function claimFor(task: Exclude<TaskName, 'spawn'>, args?: Record<string, unknown>): ClaimRequest {
  const t = TRANSITIONS[task];
  return {
    task,
    from: t.from,
    transient: t.transient,
    ...(t.preempts ? { preempts: t.preempts } : {}),
    ...(args ? { args } : {}),
  };
}
