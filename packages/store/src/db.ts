// Opens the knex connection pool to PostgreSQL; nothing else in Kumo creates database connections.
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// Postgres BIGINT (int8) values used for counters fit comfortably in a JS number here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Options for {@link openDatabase}. */
export interface DatabaseOptions {
  url: string;
  poolMax?: number;
}

/** A knex instance bound to Kumo's database. */
export type Database = Knex;

/** Creates the connection pool; call `destroy()` on shutdown. */
export function openDatabase(opts: DatabaseOptions): Database {
  return knexFactory({
    client: 'pg',
    connection: opts.url,
    pool: { min: 0, max: opts.poolMax ?? 20 },
    acquireConnectionTimeout: 10_000,
  });
}
