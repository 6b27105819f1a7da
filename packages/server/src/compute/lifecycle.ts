// The instance lifecycle as data: which status each operation starts from, the status shown while
// its task runs, and where it ends. Checked by the conditional update before any side effect.
import type { InstanceStatus } from '@kumo/store';

/** A task that runs as a durable job. */
export type TaskName = 'spawn' | 'start' | 'stop' | 'reboot' | 'resize' | 'rebuild' | 'delete';

/** One operation's transition. */
export interface Transition {
  from: readonly InstanceStatus[];
  transient: InstanceStatus;
  /** Status on success; undefined for delete (the row goes away). */
  done?: InstanceStatus;
}

/** Contract §2.2, plus spawn (createInstances: pending → running). */
export const TRANSITIONS: Record<Exclude<TaskName, 'spawn'>, Transition> = {
  start: { from: ['stopped'], transient: 'starting', done: 'running' },
  stop: { from: ['running'], transient: 'stopping', done: 'stopped' },
  reboot: { from: ['running'], transient: 'rebooting', done: 'running' },
  delete: { from: ['running', 'stopped', 'error'], transient: 'deleting' },
  resize: { from: ['stopped'], transient: 'resizing', done: 'stopped' },
  rebuild: { from: ['stopped'], transient: 'rebuilding', done: 'stopped' },
};
