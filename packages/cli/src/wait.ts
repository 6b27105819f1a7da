// Waiting for instances to reach a status: the polling loop and its progress lines. Pure: the clock,
// sleep and status fetch are injected, so the loop is tested without a server or real time.

/** What `--wait` waits for: a stable status, or the instance being gone (after delete). */
export type WaitTarget = 'running' | 'stopped' | 'gone';

/** One poll: the status of each asked-for id; an id missing from the map no longer exists. */
export type StatusFetch = (ids: string[]) => Promise<Map<string, string>>;

/** How to wait. */
export interface WaitOptions {
  fetch: StatusFetch;
  /** Milliseconds on any monotonic clock. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  /** First pause between polls (default 500 ms); each later pause is 1.5 times longer… */
  intervalMs?: number;
  /** …up to this (default 2000 ms), so a long wait stays well inside the API's per-minute rate limit. */
  maxIntervalMs?: number;
  /** Errors of one poll that only mean "try again later" (rate limiting); others end the wait. */
  retryable?: (err: unknown) => boolean;
  /** Gets one line per observed status change, without a newline. */
  onProgress?: (line: string) => void;
}

/** Waiting ended without every instance reaching the target (error status, vanished, or timeout). */
export class WaitError extends Error {
  constructor(
    message: string,
    /** The ids found in status `error`. */
    readonly errored: string[] = [],
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

/** Seconds with one decimal, e.g. `41.2 s`. */
export function formatElapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** A progress line: `i-abc: pending → running (41.2 s)`, or `i-abc: pending (0.0 s)` for the first sighting. */
export function formatTransition(
  id: string,
  from: string | undefined,
  to: string,
  elapsedMs: number,
): string {
  const shown = (s: string) => (s === 'gone' ? 'deleted' : s);
  const change = from === undefined ? shown(to) : `${shown(from)} → ${shown(to)}`;
  return `${id}: ${change} (${formatElapsed(elapsedMs)})`;
}

/**
 * Polls until every id has the target status. Throws WaitError as soon as one instance is in `error`
 * (a failed task never leaves it by itself) or disappears while a status is awaited, and at the timeout.
 * Returns the last status seen per id.
 */
export async function waitForInstances(
  ids: string[],
  target: WaitTarget,
  opts: WaitOptions,
): Promise<Map<string, string>> {
  let interval = opts.intervalMs ?? 500;
  const maxInterval = Math.max(interval, opts.maxIntervalMs ?? 2000);
  const start = opts.now();
  const last = new Map<string, string>();
  const pending = new Set(ids);
  // The timeout bounds the loop; the poll cap only guards against a clock that never advances.
  const maxPolls = Math.ceil(opts.timeoutMs / Math.max(1, interval)) + 2;
  for (let poll = 0; poll < maxPolls; poll++) {
    let statuses: Map<string, string> | undefined;
    try {
      statuses = await opts.fetch([...pending]);
    } catch (err) {
      if (!opts.retryable?.(err)) throw err;
    }
    if (statuses === undefined) {
      // A skipped poll: wait the longest pause before asking again.
      interval = maxInterval;
      const left = opts.timeoutMs - (opts.now() - start);
      if (left <= 0) break;
      await opts.sleep(Math.min(interval, left));
      continue;
    }
    const elapsed = opts.now() - start;
    const failed: string[] = [];
    const errored: string[] = [];
    for (const id of [...pending]) {
      const status = statuses.get(id) ?? 'gone';
      if (last.get(id) !== status) opts.onProgress?.(formatTransition(id, last.get(id), status, elapsed));
      last.set(id, status);
      if (status === target) pending.delete(id);
      else if (status === 'error') {
        errored.push(id);
        failed.push(`${id} is in status error`);
      } else if (status === 'gone') failed.push(`${id} no longer exists`);
    }
    if (failed.length > 0) throw new WaitError(failed.join('; '), errored);
    if (pending.size === 0) return last;
    const remaining = opts.timeoutMs - (opts.now() - start);
    if (remaining <= 0) break;
    await opts.sleep(Math.min(interval, remaining));
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
  const waiting = [...pending].map((id) => `${id} (${last.get(id) ?? 'unknown'})`).join(', ');
  throw new WaitError(
    `timed out after ${formatElapsed(opts.timeoutMs)} waiting for ${waiting} to be ${
      target === 'gone' ? 'deleted' : target
    }`,
  );
}
