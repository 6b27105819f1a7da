// The reconciler's decisions for a settled instance, one observation at a time.
import { describe, expect, test } from '@jest/globals';
import { ID_PATTERNS } from '@kumo/contract';
import { sampleInstance } from '../testing/fake-tasks.js';
import { decide, decideUnreachable, DOMAIN_VANISHED, HOST_UNREACHABLE, isOrphan } from './decide.js';

const settled = (over: Parameters<typeof sampleInstance>[0] = {}) =>
  sampleInstance({ task: null, status: 'running', powerState: 'running', ...over });

describe('decide', () => {
  test('never touches an instance with a task in flight', () => {
    expect(decide(settled({ task: 'stop', status: 'stopping' }), 'stopped')).toBeUndefined();
    expect(decide(settled({ task: 'spawn', status: 'pending' }), 'absent')).toBeUndefined();
  });

  test('a guest that shut itself down becomes stopped', () => {
    expect(decide(settled(), 'stopped')).toEqual({
      status: 'stopped',
      powerState: 'stopped',
      errorReason: null,
    });
  });

  test('a guest still shutting down keeps its status; only the power state is recorded', () => {
    expect(decide(settled(), 'shutting-down')).toEqual({ powerState: 'shutting-down' });
  });

  test('a vanished domain puts the instance in error once', () => {
    expect(decide(settled(), 'absent')).toEqual({
      status: 'error',
      powerState: 'absent',
      errorReason: DOMAIN_VANISHED,
    });
    expect(decide(settled({ status: 'error', errorReason: DOMAIN_VANISHED }), 'absent')).toBeUndefined();
  });

  test('a crashed guest is an error; a running one in error for another reason stays in error', () => {
    expect(decide(settled(), 'crashed')).toEqual({
      status: 'error',
      powerState: 'crashed',
      errorReason: 'guest crashed',
    });
    expect(
      decide(settled({ status: 'error', errorReason: 'spawn failed: x', powerState: 'absent' }), 'running'),
    ).toEqual({
      powerState: 'running',
    });
  });

  test('a host that answers again heals the instances it made unreachable', () => {
    const inst = settled({ status: 'error', errorReason: HOST_UNREACHABLE, powerState: 'unknown' });
    expect(decide(inst, 'running')).toEqual({ status: 'running', powerState: 'running', errorReason: null });
    expect(decide(inst, 'absent')).toEqual({
      status: 'error',
      powerState: 'absent',
      errorReason: DOMAIN_VANISHED,
    });
  });

  test('nothing changes when the observation matches', () => {
    expect(decide(settled(), 'running')).toBeUndefined();
    expect(decide(settled({ status: 'stopped', powerState: 'stopped' }), 'stopped')).toBeUndefined();
  });
});

describe('decideUnreachable', () => {
  test('marks settled instances, leaves tasks and errors alone', () => {
    expect(decideUnreachable(settled())).toEqual({
      status: 'error',
      errorReason: HOST_UNREACHABLE,
      powerState: 'unknown',
    });
    expect(decideUnreachable(settled({ task: 'reboot' }))).toBeUndefined();
    expect(decideUnreachable(settled({ status: 'error' }))).toBeUndefined();
  });
});

describe('isOrphan', () => {
  const id = 'i-abcdefghijkl';
  test('a domain with no row, or whose row is settled elsewhere, is an orphan', () => {
    expect(isOrphan(id, 'h1', undefined, ID_PATTERNS.instance)).toBe(true);
    expect(isOrphan(id, 'h1', { hostId: 'h2', task: null }, ID_PATTERNS.instance)).toBe(true);
  });
  test('a domain placed here, or of an instance with a task in flight, is owned', () => {
    expect(isOrphan(id, 'h1', { hostId: 'h1', task: null }, ID_PATTERNS.instance)).toBe(false);
    expect(isOrphan(id, 'h1', { hostId: 'h2', task: 'spawn' }, ID_PATTERNS.instance)).toBe(false);
  });
  test('domains not shaped like Kumo instance ids are never touched', () => {
    expect(isOrphan('i-short', 'h1', undefined, ID_PATTERNS.instance)).toBe(false);
    expect(isOrphan('my-vm', 'h1', undefined, ID_PATTERNS.instance)).toBe(false);
  });
});
