// Unit tests for the wait loop and its progress lines, on a fake clock and scripted statuses.
import { formatElapsed, formatTransition, waitForInstances, WaitError, type WaitOptions } from './wait.js';

/** A clock that only moves when the loop sleeps, and a fetch that replays one script entry per poll. */
function scripted(script: Record<string, string>[], timeoutMs = 10_000) {
  let t = 0;
  let poll = 0;
  const lines: string[] = [];
  const asked: string[][] = [];
  const opts: WaitOptions = {
    now: () => t,
    sleep: async (ms) => void (t += ms),
    fetch: async (ids) => {
      asked.push(ids);
      const step = script[Math.min(poll++, script.length - 1)] ?? {};
      t += 100; // each poll takes 0.1 s
      return new Map(Object.entries(step).filter(([id]) => ids.includes(id)));
    },
    timeoutMs,
    intervalMs: 1000,
    maxIntervalMs: 1000,
    onProgress: (l) => lines.push(l),
  };
  return { opts, lines, asked, polls: () => poll };
}

describe('progress formatting', () => {
  it('shows elapsed seconds with one decimal and arrows between statuses', () => {
    expect(formatElapsed(41_234)).toBe('41.2 s');
    expect(formatElapsed(-5)).toBe('0.0 s');
    expect(formatTransition('i-abc', 'pending', 'running', 41_200)).toBe('i-abc: pending → running (41.2 s)');
    expect(formatTransition('i-abc', undefined, 'pending', 100)).toBe('i-abc: pending (0.1 s)');
    expect(formatTransition('i-abc', 'deleting', 'gone', 2000)).toBe('i-abc: deleting → deleted (2.0 s)');
  });
});

describe('waitForInstances', () => {
  it('reports each change once and stops polling ids that arrived', async () => {
    const s = scripted([
      { a: 'pending', b: 'pending' },
      { a: 'starting', b: 'pending' },
      { a: 'running', b: 'starting' },
      { b: 'running' },
    ]);
    const last = await waitForInstances(['a', 'b'], 'running', s.opts);
    expect(last).toEqual(
      new Map([
        ['a', 'running'],
        ['b', 'running'],
      ]),
    );
    expect(s.lines).toEqual([
      'a: pending (0.1 s)',
      'b: pending (0.1 s)',
      'a: pending → starting (1.2 s)',
      'a: starting → running (2.3 s)',
      'b: pending → starting (2.3 s)',
      'b: starting → running (3.4 s)',
    ]);
    expect(s.asked[3]).toEqual(['b']);
  });

  it('treats a missing id as deleted, which is the goal for delete', async () => {
    const s = scripted([{ a: 'deleting' }, {}]);
    await waitForInstances(['a'], 'gone', s.opts);
    expect(s.lines).toEqual(['a: deleting (0.1 s)', 'a: deleting → deleted (1.2 s)']);
  });

  it('fails at once when an instance goes to error, naming it', async () => {
    const s = scripted([{ a: 'pending', b: 'pending' }, { a: 'error', b: 'starting' }, { b: 'running' }]);
    const err = (await waitForInstances(['a', 'b'], 'running', s.opts).catch((e: unknown) => e)) as WaitError;
    expect(err).toBeInstanceOf(WaitError);
    expect(err.message).toBe('a is in status error');
    expect(err.errored).toEqual(['a']);
    expect(s.polls()).toBe(2);
  });

  it('fails when an instance vanishes while a status is awaited', async () => {
    const s = scripted([{ a: 'stopping' }, {}]);
    await expect(waitForInstances(['a'], 'stopped', s.opts)).rejects.toThrow('a no longer exists');
  });

  it('gives up at the timeout with the statuses it was stuck in', async () => {
    const s = scripted([{ a: 'starting' }], 3000);
    await expect(waitForInstances(['a'], 'running', s.opts)).rejects.toThrow(
      'timed out after 3.0 s waiting for a (starting) to be running',
    );
    // Polls at 0, 1.1, 2.2 s and a last one at the deadline; never sleeps past it.
    expect(s.polls()).toBe(4);
  });

  it('is bounded even if the clock never moves', async () => {
    const s = scripted([{ a: 'starting' }], 3000);
    s.opts.now = () => 0;
    await expect(waitForInstances(['a'], 'running', s.opts)).rejects.toThrow(WaitError);
    expect(s.polls()).toBeLessThanOrEqual(5);
  });

  it('lengthens the pause 1.5 times per poll up to the maximum', async () => {
    const s = scripted([{ a: 'starting' }], 10_000);
    const pauses: number[] = [];
    const sleep = s.opts.sleep;
    s.opts.sleep = async (ms) => {
      pauses.push(ms);
      await sleep(ms);
    };
    s.opts.intervalMs = 500;
    s.opts.maxIntervalMs = 2000;
    await expect(waitForInstances(['a'], 'running', s.opts)).rejects.toThrow(WaitError);
    expect(pauses.slice(0, 6)).toEqual([500, 750, 1125, 1688, 2000, 2000]);
  });

  it('retries a poll that failed with a retryable error, and rethrows any other', async () => {
    let calls = 0;
    const s = scripted([{ a: 'running' }]);
    const fetch = s.opts.fetch;
    s.opts.fetch = async (ids) => {
      if (calls++ < 2) throw new Error('429');
      return fetch(ids);
    };
    s.opts.retryable = (e) => (e as Error).message === '429';
    await waitForInstances(['a'], 'running', s.opts);
    expect(calls).toBe(3);
    expect(s.lines).toEqual(['a: running (2.1 s)']);

    s.opts.fetch = async () => {
      throw new Error('boom');
    };
    await expect(waitForInstances(['a'], 'running', s.opts)).rejects.toThrow('boom');
  });
});
