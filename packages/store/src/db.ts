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
}

/** A knex instance bound to Kumo's database. */
export type Database = Knex;

/** Creates the connection pool; call `destroy()` on shutdown. */
export function openDatabase(opts: DatabaseOptions): Database {
  return knexFactory({
    client: 'pg',
    connection: opts.url,
    pool: {
      min: 0,
      max: opts.poolMax ?? 20,
      ...(opts.asyncCommit
        ? {
            afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
              conn.query('SET synchronous_commit = off').then(
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
