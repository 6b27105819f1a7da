// Opens the knex connection pool to PostgreSQL; nothing else in Kumo creates database connections.
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// Postgres BIGINT (int8) values used for counters fit comfortably in a JS number here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Options for {@link openDatabase}. */
export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  /**
   * Commit without waiting for the WAL flush (synchronous_commit = off) on this pool's sessions.
   * For bookkeeping whose loss in a database crash is harmless (nonces, rate counters): a crash
   * forgets well under a second of it, and hot rows stay locked for microseconds, not a flush.
   */
  asyncCommit?: boolean;
  /**
   * An injected clock (tests): every statement on this pool's sessions runs with `kumo.clock` set
   * to its time, which the usage ledger's triggers use instead of the transaction's start.
   */
  clock?: () => Date;
  /**
   * Where knex's own warnings go (e.g. "Connection Error" for a pooled connection the server
   * ended). Default: stderr, never stdout, which a daemon keeps for its JSON log records.
   */
  log?: (level: 'warn' | 'error' | 'deprecate', message: string) => void;
}

const toStderr = (level: string, message: string) => process.stderr.write(`knex ${level}: ${message}\n`);

/** A knex instance bound to Kumo's database. */
export type Database = Knex;

/** Creates the connection pool; call `destroy()` on shutdown. */
export function openDatabase(opts: DatabaseOptions): Database {
  const { clock, asyncCommit } = opts;
  const log = opts.log ?? toStderr;
  return knexFactory({
    client: 'pg',
    log: {
      warn: (m: unknown) => log('warn', String(m)),
      error: (m: unknown) => log('error', String(m)),
      deprecate: (method: unknown, alternative: unknown) =>
        log('deprecate', `${String(method)} is deprecated; use ${String(alternative)}`),
      debug: () => undefined,
    },
    connection: opts.url,
    pool: {
      min: 0,
      max: opts.poolMax ?? 20,
      ...(asyncCommit || clock
        ? {
            afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
              if (clock) followClock(conn, clock);
              conn.query(asyncCommit ? 'SET synchronous_commit = off' : 'SELECT 1').then(
                () => done(null, conn),
                (err: Error) => done(err, conn),
              );
            },
          }
        : {}),
    },
    acquireConnectionTimeout: 10_000,
  });
}

/**
 * Queues `SET kumo.clock` ahead of each statement of a session. A pg client runs its queries in
 * order, so the statement sees the clock as it was when it was sent; inside a transaction the
 * setting is re-applied before every statement, so a rollback cannot leave a stale one behind.
 */
function followClock(conn: pg.Client, clock: () => Date): void {
  const send = conn.query.bind(conn) as (...args: unknown[]) => unknown;
  (conn as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const p = send("SELECT set_config('kumo.clock', $1, false)", [clock().toISOString()]) as Promise<unknown>;
    // A failure here (an aborted transaction) is the statement's own failure too; it reports it.
    p.catch(() => undefined);
    return send(...args);
  };
}
