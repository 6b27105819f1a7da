// The lifecycle table: every task has a transition, the claims it builds, and the rules the
// rest of the server relies on (transient statuses are never a start, delete preempts spawn).
import { describe, expect, test } from '@jest/globals';
import { INSTANCE_STATUSES } from '@kumo/contract';
import { TASK_NAMES } from '@kumo/store';
import { claimFor, TRANSITIONS } from './lifecycle.js';

describe('TRANSITIONS', () => {
  test('has exactly one transition per task, spawn and delete included', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...TASK_NAMES].sort());
  });

  test('matches the JD contract: where each task starts, what pollers see, where it ends', () => {
    const table = Object.fromEntries(
      Object.entries(TRANSITIONS).map(([task, t]) => [
        task,
        `${t.from.join('|')} -> ${t.transient} -> ${t.done}`,
      ]),
    );
    expect(table).toEqual({
      spawn: ' -> pending -> running',
      start: 'stopped -> starting -> running',
      stop: 'running -> stopping -> stopped',
      reboot: 'running -> rebooting -> running',
      resize: 'stopped -> resizing -> stopped',
      rebuild: 'stopped -> rebuilding -> stopped',
      image: 'stopped -> stopped -> stopped',
      // Tencent's key pair association (no JD twin): running only with ForceStop (checked by the service).
      keys: 'stopped|running -> stopping -> stopped',
      // Admin evacuate (Nova's): from error too, where the reconciler puts a dead host's instances.
      evacuate: 'running|stopped|error -> starting -> running',
      delete: 'pending|running|stopped|error -> deleting -> gone',
    });
  });

  test('no task starts from a transient status except delete from pending, and all statuses are JD statuses', () => {
    // createImage shows the instance as it is (JD has no imaging status); its claimed task, not
    // its status, keeps other tasks out, so its transient is no other task's starting point.
    const transient = new Set(
      Object.entries(TRANSITIONS)
        .filter(([task, t]) => !(task === 'image' && t.transient === 'stopped'))
        .map(([, t]) => t.transient),
    );
    for (const [task, t] of Object.entries(TRANSITIONS)) {
      for (const s of t.from) {
        expect(INSTANCE_STATUSES).toContain(s);
        if (transient.has(s)) expect([task, s]).toEqual(['delete', 'pending']);
      }
      expect(INSTANCE_STATUSES).toContain(t.transient);
      if (t.done !== 'gone') expect(INSTANCE_STATUSES).toContain(t.done);
    }
  });

  test('only delete preempts, and only a spawn', () => {
    const preempting = Object.entries(TRANSITIONS).filter(([, t]) => t.preempts);
    expect(preempting).toEqual([['delete', expect.objectContaining({ preempts: ['spawn'] })]]);
  });
});

describe('claimFor', () => {
  test('builds the conditional update of the table, with args when given', () => {
    expect(claimFor('stop')).toEqual({ task: 'stop', from: ['running'], transient: 'stopping' });
    expect(claimFor('resize', { vcpus: 4 })).toEqual({
      task: 'resize',
      from: ['stopped'],
      transient: 'resizing',
      args: { vcpus: 4 },
    });
    expect(claimFor('delete').preempts).toEqual(['spawn']);
  });
});
