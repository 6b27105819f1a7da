// Unit tests of what every Host operation runs through: the per-key lock, the step runner (fault
// hook, timing, error translation) and settling a reverter with undo failures logged.
import { describe, expect, it } from '@jest/globals';
import { KeyedLock, runStep, settle } from './context.js';
import { HypervisorError } from './errors.js';
import type { LogFields, Logger } from './log.js';
import { Reverter } from './reverter.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('KeyedLock', () => {
  it('runs work on one key one at a time, in call order, past failures', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const job =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      lock.run('k', job('a', true)),
      lock.run('k', job('b')),
      lock.run('k', job('c')),
    ]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(lock.size).toBe(0);
  });

  it('lets different keys run at the same time', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([lock.run('x', job('x')), lock.run('y', job('y'))]);
    expect(log.slice(0, 2)).toEqual(['start x', 'start y']);
  });
});

describe('runStep', () => {
  it('returns the result and reports the duration', async () => {
    const seen: string[] = [];
    const out = await runStep({ onStep: (s, ms) => seen.push(`${s}:${ms >= 0}`) }, 'define', async () => 7);
    expect(out).toBe(7);
    expect(seen).toEqual(['define:true']);
  });

  it('lets the fault hook fail a step before it runs, as a HypervisorError naming the step', async () => {
    let ran = false;
    const hooks = {
      faultInjector: (s: string) => {
        if (s === 'start') throw new Error('injected');
      },
    };
    const err = await runStep(
      hooks,
      'start',
      async () => {
        ran = true;
      },
      'START_FAILED',
    ).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'START_FAILED', step: 'start', message: 'start: injected' });
  });

  it('keeps a HypervisorError the step raised itself', async () => {
    const own = new HypervisorError('INSUFFICIENT_SPACE', 'full');
    await expect(runStep({}, 'check-space', () => Promise.reject(own), 'HOST_ERROR')).rejects.toBe(own);
  });
});

describe('settle', () => {
  class Recorder implements Logger {
    readonly warnings: { fields: LogFields; message: string }[] = [];
    debug(): void {}
    info(): void {}
    error(): void {}
    warn(fields: LogFields, message: string): void {
      this.warnings.push({ fields, message });
    }
  }

  it('undoes a failed operation and logs each undo step that failed', async () => {
    const log = new Recorder();
    const r = new Reverter();
    const undone: string[] = [];
    r.add(() => {
      undone.push('first');
    });
    r.add(() => {
      throw new Error('volume busy');
    });
    await settle(r, log, 'spawn', { instanceId: 'i-1' });
    expect(undone).toEqual(['first']);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]?.fields).toMatchObject({ instanceId: 'i-1', operation: 'spawn' });
    expect((log.warnings[0]?.fields.err as Error).message).toBe('volume busy');
  });

  it('does nothing after success', async () => {
    const log = new Recorder();
    const r = new Reverter();
    let undone = false;
    r.add(() => {
      undone = true;
    });
    r.success();
    await settle(r, log, 'spawn');
    expect(undone).toBe(false);
    expect(log.warnings).toEqual([]);
  });
});
