// The loop every leased background worker runs (the network converger, the storage and NIC
// workers): passes on a timer and whenever a service kicks it, one pass at a time, a kick during a
// pass running another right after it, and passes repeated while they find work (bounded, so a
// row that keeps failing cannot spin a process). The leases themselves live in the workers' rows.
import type { Logger } from '../logger.js';

/** What one worker's loop runs. */
export interface WorkLoopOptions {
  /** Named in the warning a failed pass logs. */
  name: string;
  intervalMs: number;
  /** One pass over the claimable work; returns how much it did (0: nothing left). */
  pass(): Promise<number>;
  /** Passes one drain runs at most. */
  maxPasses: number;
  log: Logger;
}

/** A timer-and-kick driven loop of passes. */
export class WorkLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly o: WorkLoopOptions) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops the timer and waits for the pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs a pass now, or right after the current one: the fast path after an API change. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.o.log.warn({ err }, `${this.o.name} pass failed`))
      .finally(() => {
        this.running = undefined;
        if (this.again && this.timer) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Passes until one finds nothing to do; resolves when done (tests await it). */
  async drain(): Promise<void> {
    for (let i = 0; i < this.o.maxPasses; i++) {
      this.again = false;
      if ((await this.o.pass()) === 0) return;
    }
  }
}
