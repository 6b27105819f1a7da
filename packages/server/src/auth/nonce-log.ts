// Replay protection's durable record, group-committed: the nonces of the requests in flight are
// written in one statement, and while it runs the next requests queue for the following one. A
// request still waits for its nonce to be recorded (a replay to any kumod on the database is
// refused exactly as before), but N concurrent requests cost one statement, not N.
import type { RequestGuardsModel } from '@kumo/store';

/** Entries per statement at most (bounds the statement's size). */
export const MAX_BATCH = 256;

interface Entry {
  accessKey: string;
  nonce: string;
  ttlSeconds: number;
  done: (fresh: boolean) => void;
  fail: (err: unknown) => void;
}

/** Batches nonce records for one process. */
export class NonceLog {
  private queue: Entry[] = [];
  private writing = false;

  constructor(private readonly guards: Pick<RequestGuardsModel, 'recordNonces'>) {}

  /** Records a nonce; resolves true when it was new (not seen inside its window). */
  record(accessKey: string, nonce: string, ttlSeconds: number): Promise<boolean> {
    return new Promise((done, fail) => {
      this.queue.push({ accessKey, nonce, ttlSeconds, done, fail });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const fresh = await this.guards.recordNonces(batch);
          batch.forEach((e, i) => e.done(fresh.has(i)));
        } catch (err) {
          for (const e of batch) e.fail(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
