// Secret keys at rest are sealed under a master key the database never sees: the access_keys table
// holds no secret in the clear, a row written before sealing existed is sealed at the next start
// and keeps working, and a kumod with another master key refuses to start, saying why.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { clientFor, KUMOD_MAIN, removeDataDir, startKumod } from '../support/kumod.js';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';

let dbUrl: string;
const dataDir = mkdtempSync(join(tmpdir(), 'kumod-secrets-'));
chmodSync(dataDir, 0o755);

beforeAll(async () => {
  dbUrl = await createTestDatabase();
});
afterAll(async () => {
  removeDataDir(dataDir);
  await dropTestDatabase(dbUrl);
});

/** Runs kumod to its first exit with a master key no one has used. */
function startWithRandomMasterKey(databaseUrl: string, dir: string) {
  return spawnSync(process.execPath, [KUMOD_MAIN], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      KUMO_DATA_DIR: dir,
      KUMO_LOCAL_HOST: 'none',
      KUMO_TLS: 'off',
      KUMO_MASTER_KEY: randomBytes(32).toString('base64'),
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function secretsInTable(): Promise<{ access_key: string; secret_key: string }[]> {
  return secretsOf(dbUrl);
}

test('sealed at rest, old plaintext rows sealed at start, a wrong master key refused', async () => {
  // This kumod keeps its master key in its data directory (no KUMO_MASTER_KEY).
  const first = await startKumod({ DATABASE_URL: dbUrl, KUMO_MASTER_KEY: '' }, { dataDir });
  const user = await first
    .admin()
    .adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', { body: { name: 'sealy' } });
  await first.stop();
  let rows = await secretsInTable();
  expect(rows).toHaveLength(2);
  for (const r of rows) expect(r.secret_key).toMatch(/^v1:/);
  expect(JSON.stringify(rows)).not.toContain(user.secretKey);
  expect(JSON.stringify(rows)).not.toContain(first.credentials.secretKey);

  // A row as kumod wrote it before sealing existed: plaintext.
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  await c.query('UPDATE access_keys SET secret_key = $1 WHERE access_key = $2', [
    user.secretKey,
    user.accessKey,
  ]);
  await c.end();

  const second = await startKumod(
    { DATABASE_URL: dbUrl, KUMO_MASTER_KEY: '' },
    { dataDir, adminCredentials: first.credentials },
  );
  try {
    expect(second.output()).toContain('sealed access key secrets stored in plaintext');
    rows = await secretsInTable();
    for (const r of rows) expect(r.secret_key).toMatch(/^v1:/);
    // Both keys still sign requests that verify.
    expect((await clientFor(second.endpoint, user).describeKeypairs()).totalCount).toBe(0);
    expect((await second.admin().describeKeypairs()).totalCount).toBe(0);
  } finally {
    await second.stop();
  }

  const wrong = startWithRandomMasterKey(dbUrl, dataDir);
  expect(wrong.status).toBe(2);
  expect(wrong.stderr).toContain('master key');
});

test('a second replica with another master key is refused at start, whatever its data directory holds', async () => {
  const fresh = await createTestDatabase();
  try {
    const a = await startKumod({ DATABASE_URL: fresh, KUMO_MASTER_KEY: randomBytes(32).toString('base64') });
    await a.stop();
    removeDataDir(a.dataDir);
    const b = startWithRandomMasterKey(fresh, mkdtempSync(join(tmpdir(), 'kumod-replica-')));
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('master key');
  } finally {
    await dropTestDatabase(fresh);
  }
});

test('rotation: the new key with the previous one re-seals everything, after which the old key is refused', async () => {
  const fresh = await createTestDatabase();
  const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
  const dirs: string[] = [];
  const start = async (env: Record<string, string>, creds?: Parameters<typeof startKumod>[1]) => {
    const k = await startKumod({ DATABASE_URL: fresh, ...env }, creds);
    dirs.push(k.dataDir);
    return k;
  };
  try {
    const a = await start({ KUMO_MASTER_KEY: oldKey });
    const user = await a
      .admin()
      .adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', { body: { name: 'rot' } });
    await a.stop();
    const before = await secretsOf(fresh);

    const rotating = await start(
      { KUMO_MASTER_KEY: newKey, KUMO_MASTER_KEY_PREVIOUS: oldKey },
      { adminCredentials: a.credentials },
    );
    expect(rotating.output()).toContain('under the previous master key');
    expect((await clientFor(rotating.endpoint, user).describeKeypairs()).totalCount).toBe(0);
    await rotating.stop();
    const after = await secretsOf(fresh);
    expect(after.map((r) => r.access_key)).toEqual(before.map((r) => r.access_key));
    for (let i = 0; i < after.length; i++) expect(after[i]!.secret_key).not.toBe(before[i]!.secret_key);
    expect(rotating.output()).not.toContain(newKey);
    expect(rotating.output()).not.toContain(oldKey);

    // The new key alone now opens everything; the old key alone is refused.
    const done = await start({ KUMO_MASTER_KEY: newKey }, { adminCredentials: a.credentials });
    expect((await clientFor(done.endpoint, user).describeKeypairs()).totalCount).toBe(0);
    await done.stop();
    const old = spawnSync(process.execPath, [KUMOD_MAIN], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: fresh,
        KUMO_DATA_DIR: mkdtempSync(join(tmpdir(), 'kumod-oldkey-')),
        KUMO_LOCAL_HOST: 'none',
        KUMO_TLS: 'off',
        KUMO_MASTER_KEY: oldKey,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(old.status).toBe(2);
    expect(old.stderr).toContain('master key');
  } finally {
    for (const d of dirs) removeDataDir(d);
    await dropTestDatabase(fresh);
  }
});

async function secretsOf(url: string): Promise<{ access_key: string; secret_key: string }[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query('SELECT access_key, secret_key FROM access_keys ORDER BY access_key')).rows;
  } finally {
    await c.end();
  }
}
