// The state every part of one connected Host shares: the libvirt client, naming, the logger, a
// per-key lock and the step runner (fault hooks, timings, error translation). Holds no policy.
import { performance } from 'node:perf_hooks';
import type { LibvirtClient } from '@kumo/libvirt';
import { translate, type HypervisorErrorCode } from './errors.js';
import type { Logger } from './log.js';
import type { Naming } from './naming.js';
import type { Reverter } from './reverter.js';

/** Hooks around each named step of an operation. */
export interface StepHooks {
  /** Called before each step; throwing simulates that step failing. */
  faultInjector?: (step: string) => void | Promise<void>;
  /** Called after each step with its duration. */
  onStep?: (step: string, ms: number) => void;
}

/** Serialises async work per key (an instance, image or network) within this process. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier `run` on the same key has settled, whatever its outcome. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      // Only the last waiter removes the key, so the map holds nothing for idle keys.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** How many keys have work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

/**
 * Runs one named step: the fault hook first, then `fn`; whatever it throws comes out as a
 * HypervisorError naming the step (with `code` for errors that are not libvirt's own). `onStep`
 * hears the step's duration whether it succeeded or not.
 */
export async function runStep<T>(
  hooks: StepHooks,
  name: string,
  fn: () => Promise<T>,
  code?: HypervisorErrorCode,
): Promise<T> {
  const t0 = performance.now();
  try {
    if (hooks.faultInjector) await hooks.faultInjector(name);
    return await fn();
  } catch (err) {
    throw translate(err, name, code);
  } finally {
    hooks.onStep?.(name, performance.now() - t0);
  }
}

/**
 * Undoes what `r` registered unless the operation succeeded, and logs each undo step that failed:
 * such a failure leaves an object behind that the operator (or a re-run) has to clean up.
 */
export async function settle(
  r: Reverter,
  log: Logger,
  operation: string,
  fields: Record<string, unknown> = {},
): Promise<void> {
  await r.fail();
  for (const err of r.undoErrors)
    log.warn({ ...fields, operation, err }, 'undo step failed; the host may keep a leftover object');
}

/** One connected host as its modules see it. */
export class HostContext {
  private readonly lock = new KeyedLock();

  constructor(
    readonly lv: LibvirtClient,
    readonly names: Naming,
    /** The storage pool holding images, overlays and seeds. */
    readonly poolName: string,
    readonly log: Logger,
    private readonly hooks: StepHooks = {},
  ) {}

  /** Runs `fn` while holding the lock on `key`. */
  locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(key, fn);
  }

  /** Runs one named step with this host's hooks (see runStep). */
  step<T>(name: string, fn: () => Promise<T>, code?: HypervisorErrorCode): Promise<T> {
    return runStep(this.hooks, name, fn, code);
  }

  /** Undoes what `r` registered unless the operation succeeded (see settle). */
  settle(r: Reverter, operation: string, fields: Record<string, unknown> = {}): Promise<void> {
    return settle(r, this.log, operation, fields);
  }
}
