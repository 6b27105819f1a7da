// Unit tests of the lifecycle event mapping and the domain-state mapping: which libvirt events and
// states read as which Kumo events and power states, and which domains are ignored.
import { describe, expect, it } from '@jest/globals';
import {
  DomainEventShutdownDetail,
  DomainEventStoppedDetail,
  DomainEventType,
  DomainState,
  type DomainLifecycleEvent,
} from '@kumo/libvirt';
import { powerStateOf } from './domains/power-state.js';
import { toInstanceEvent } from './events.js';
import { Naming } from './naming.js';

const names = new Naming('kumo-');
const ev = (name: string, event: number, detail = 0): DomainLifecycleEvent => ({
  dom: { name, uuid: '00000000-0000-0000-0000-000000000000', id: 1 },
  event,
  detail,
});

describe('toInstanceEvent', () => {
  it('ignores domains Kumo does not own', () => {
    expect(toInstanceEvent(names, ev('guest-of-someone-else', DomainEventType.STARTED))).toBeUndefined();
    expect(
      toInstanceEvent(new Naming('kumo-test-'), ev('kumo-i-1', DomainEventType.STARTED)),
    ).toBeUndefined();
  });

  it('maps each lifecycle event to its kind, by instance id', () => {
    const kinds = [
      [DomainEventType.DEFINED, 'defined'],
      [DomainEventType.UNDEFINED, 'undefined'],
      [DomainEventType.STARTED, 'started'],
      [DomainEventType.SUSPENDED, 'suspended'],
      [DomainEventType.RESUMED, 'resumed'],
      [DomainEventType.STOPPED, 'stopped'],
      [DomainEventType.SHUTDOWN, 'shutdown'],
      [DomainEventType.CRASHED, 'crashed'],
      [DomainEventType.PMSUSPENDED, 'other'],
      [42, 'other'],
    ] as const;
    for (const [event, kind] of kinds)
      expect(toInstanceEvent(names, ev('kumo-i-abc', event, 7))).toEqual({
        id: 'i-abc',
        kind,
        byGuest: event === DomainEventType.SHUTDOWN,
      });
  });

  it('tells a guest that powered itself off from a forced stop', () => {
    const stopped = (detail: number) =>
      toInstanceEvent(names, ev('kumo-i-1', DomainEventType.STOPPED, detail));
    expect(stopped(DomainEventStoppedDetail.SHUTDOWN)?.byGuest).toBe(true);
    expect(stopped(DomainEventStoppedDetail.DESTROYED)?.byGuest).toBe(false);
    expect(stopped(DomainEventStoppedDetail.CRASHED)?.byGuest).toBe(false);
    const shutdown = toInstanceEvent(
      names,
      ev('kumo-i-1', DomainEventType.SHUTDOWN, DomainEventShutdownDetail.HOST),
    );
    expect(shutdown).toEqual({ id: 'i-1', kind: 'shutdown', byGuest: true });
  });
});

describe('powerStateOf', () => {
  it('reads every libvirt domain state as a Kumo power state', () => {
    expect(
      [
        DomainState.NOSTATE,
        DomainState.RUNNING,
        DomainState.BLOCKED,
        DomainState.PAUSED,
        DomainState.SHUTDOWN,
        DomainState.SHUTOFF,
        DomainState.CRASHED,
        DomainState.PMSUSPENDED,
      ].map(powerStateOf),
    ).toEqual(['stopped', 'running', 'running', 'paused', 'shutting-down', 'stopped', 'crashed', 'paused']);
  });

  it('treats a state a newer libvirt might add as stopped', () => {
    expect(powerStateOf(99)).toBe('stopped');
  });
});
