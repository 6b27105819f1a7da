// Migrations against a real PostgreSQL: up from empty, idempotent re-run, and concurrent starters.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { migrateDownAll, migrateLatest, migrations, openDatabase, type Database } from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

const storeDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

async function tables(db: Database): Promise<string[]> {
  const r = await db.raw<{ rows: { tablename: string }[] }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  return r.rows.map((x) => x.tablename);
}

describe('migrations', () => {
  let url: string;
  let db: Database;
  beforeAll(async () => {
    url = await createTestDatabase();
    db = openDatabase({ url });
  });
  afterAll(async () => {
    await db.destroy();
    await dropTestDatabase(url);
  });

  test('run up from empty, then a re-run applies nothing', async () => {
    expect(await tables(db)).toEqual([]);
    const first = await migrateLatest(db);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    expect(await tables(db)).toEqual(
      expect.arrayContaining(['accounts', 'access_keys', 'keypairs', 'rate_counters', 'request_nonces']),
    );
    const second = await migrateLatest(db);
    expect(second.applied).toEqual([]);
  });

  test('down then up again returns to the same schema', async () => {
    const before = await tables(db);
    await migrateDownAll(db);
    expect((await tables(db)).filter((t) => !t.startsWith('knex_'))).toEqual([]);
    await migrateLatest(db);
    expect(await tables(db)).toEqual(before);
  });
});

describe('migrations from several processes at once', () => {
  let url: string;
  afterAll(async () => dropTestDatabase(url));

  test('four processes starting together all succeed and apply each migration once', async () => {
    url = await createTestDatabase();
    const script = `import('${storeDist}').then(async (s) => {
        const db = s.openDatabase({ url: process.env.URL });
        const r = await s.migrateLatest(db);
        console.log(JSON.stringify(r.applied));
        await db.destroy();
      }).catch((e) => { console.error(e); process.exit(1); });`;
    const runs = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const p = spawn(process.execPath, ['-e', script], { env: { ...process.env, URL: url } });
            let out = '';
            p.stdout.on('data', (d: Buffer) => (out += d.toString()));
            p.stderr.on('data', (d: Buffer) => (out += d.toString()));
            p.on('close', (code) => resolve({ code, out }));
          }),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const applied = runs.flatMap((r) => JSON.parse(r.out.trim()) as string[]);
    expect(applied.sort()).toEqual(migrations.map((m) => m.name).sort());
    const db = openDatabase({ url });
    const rows = await db('knex_migrations').select('name');
    expect(rows.map((r: { name: string }) => r.name)).toEqual(migrations.map((m) => m.name));
    await db.destroy();
  }, 60_000);
});
