// Transactions and Postgres advisory locks for the rest of Kumo: callers name a lock, the store
// runs the SQL. Nothing outside the store opens a transaction or takes a lock by itself.
import type { Knex } from 'knex';
import type { Database } from './db.js';

/** An open transaction, passed back into model methods that must join it. */
export type Transaction = Knex.Transaction;

/** Opens transactions, optionally holding a transaction-scoped advisory lock. */
export class Transactions {
  constructor(private readonly db: Database) {}

  /** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
  run<T>(fn: (trx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /**
   * Runs `fn` in a transaction holding the advisory lock named `key`, waiting for it: work that
   * must happen once at a time across every kumod process (an image upload to one host, the
   * creates of one account) serialises here, and the lock goes with the transaction.
   */
  locked<T>(key: string, fn: (trx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
      return fn(trx);
    });
  }

  /** Takes the advisory lock named `key` too, in a transaction {@link locked} or {@link run} opened. */
  async lockWithin(trx: Transaction, key: string): Promise<void> {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
  }

  /**
   * Like {@link locked}, but returns `{ ran: false }` at once when another session holds the lock
   * (singleton loops such as the reconcile sweep: one runner is enough, the others skip).
   */
  tryLocked<T>(
    key: string,
    fn: (trx: Transaction) => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    return this.db.transaction(async (trx) => {
      const got = await trx.raw<{ rows: { ok: boolean }[] }>(
        'SELECT pg_try_advisory_xact_lock(hashtext(?)) AS ok',
        [key],
      );
      if (!got.rows[0]?.ok) return { ran: false as const };
      return { ran: true as const, value: await fn(trx) };
    });
  }
}
