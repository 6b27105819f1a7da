// The usage ledger against a real PostgreSQL, with hosts replaced by a FakeHostDriver through the
// driver registry and the ledger's clock injected (the pool's `clock`, as kumod's
// KUMO_TEST_CLOCK_FILE does): an instance driven through create → stop → start → stop → resize →
// delete leaves one record per state interval, to the second, and the priced total follows the
// price list; a process SIGKILLed inside a state change's transaction leaves neither the change nor
// its record, and one killed after its commit leaves both.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { UsageModel } from '@kumo/store';
import { billingWorld, REGION, type BillingWorld } from './billing-wiring.js';

const TEST_TIMEOUT_MS = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');
// Round prices: 3.6 an hour is 0.001 a second.
const PRICES = [
  'currency: CNY',
  'instances:',
  '  t.n1.micro: { running: 3.6, stopped: 0.36 }',
  '  t.n1.small: { running: 7.2, stopped: 0.72 }',
].join('\n');

let w: BillingWorld;
beforeAll(async () => {
  w = await billingWorld(T0, PRICES);
}, 60_000);
afterAll(async () => {
  await w.close();
});

test(
  'create → stop → start → stop → resize → delete leaves one record per interval, to the second, priced',
  async () => {
    const { wiring, at, until, scope, caller } = w;
    at(0);
    const id = await w.create('metered');
    await until(id, (i) => i?.status === 'running');
    at(100);
    await wiring.services.instances.act(scope(), caller(), id, 'stop');
    await until(id, (i) => i?.status === 'stopped' && i.task === null);
    at(160);
    await wiring.services.instances.act(scope(), caller(), id, 'start');
    await until(id, (i) => i?.status === 'running' && i.task === null);
    at(400);
    await wiring.services.instances.act(scope(), caller(), id, 'stop');
    await until(id, (i) => i?.status === 'stopped' && i.task === null);
    at(430);
    await wiring.services.instances.resize(scope(), caller(), id, 't.n1.small');
    await until(id, (i) => i?.instanceType === 't.n1.small' && i.task === null);
    at(500);
    await wiring.services.instances.act(scope(), caller(), id, 'delete');
    await until(id, (i) => i === undefined);
    at(900);

    const records = await new UsageModel(w.db).records({
      resourceId: id,
      from: new Date(T0 - 86_400_000),
      to: new Date(T0 + 86_400_000),
    });
    expect(
      records.map((r) => [
        r.item,
        r.startedAt.toISOString().replace('.000Z', 'Z'),
        r.endedAt?.toISOString().replace('.000Z', 'Z'),
      ]),
    ).toEqual([
      ['instance:t.n1.micro:running', iso(0), iso(100)],
      ['instance:t.n1.micro:stopped', iso(100), iso(160)],
      ['instance:t.n1.micro:running', iso(160), iso(400)],
      ['instance:t.n1.micro:stopped', iso(400), iso(430)],
      ['instance:t.n1.small:stopped', iso(430), iso(500)],
    ]);
    expect(records.every((r) => r.accountId === w.account.id && r.regionId === REGION)).toBe(true);

    // 340 s running at 0.001/s, 90 s stopped at 0.0001/s, 70 s stopped (small) at 0.0002/s.
    const report = await wiring.services.usage.report({
      accountId: w.account.id,
      from: new Date(T0),
      to: new Date(T0 + 3600_000),
    });
    expect(report.lines.map((l) => [l.item, l.seconds, l.amount])).toEqual([
      ['instance:t.n1.micro:running', 340, 0.34],
      ['instance:t.n1.micro:stopped', 90, 0.009],
      ['instance:t.n1.small:stopped', 70, 0.014],
    ]);
    expect(report.totalAmount).toBe(0.363);

    // A period clips the intervals: 50 s into the first running stretch to 50 s into the second.
    const clipped = await wiring.services.usage.report({
      accountId: w.account.id,
      from: new Date(T0 + 50_000),
      to: new Date(T0 + 210_000),
    });
    expect(clipped.lines.map((l) => [l.item, l.seconds])).toEqual([
      ['instance:t.n1.micro:running', 100],
      ['instance:t.n1.micro:stopped', 60],
    ]);
  },
  TEST_TIMEOUT_MS,
);

test('the ledger refuses changes to a closed record and any delete', async () => {
  const [closed] = (await w.db('usage_records').whereNotNull('ended_at').limit(1)) as { id: number }[];
  await expect(w.db('usage_records').where({ id: closed!.id }).update({ quantity: 2 })).rejects.toThrow(
    /append-only/,
  );
  await expect(w.db('usage_records').where({ id: closed!.id }).delete()).rejects.toThrow(/append-only/);
});

// A child process that changes an instance's status in a transaction, says so, and then either
// waits (uncommitted) or commits and waits: the test SIGKILLs it at that point.
const CHILD = `
import pg from 'pg';
const [url, id, status, commit] = process.argv.slice(1);
const c = new pg.Client({ connectionString: url });
await c.connect();
await c.query("SELECT set_config('kumo.clock', $1, false)", [process.env.CLOCK]);
await c.query('BEGIN');
await c.query('UPDATE instances SET status = $1, task = NULL WHERE id = $2', [status, id]);
if (commit === 'yes') await c.query('COMMIT');
process.stdout.write('changed\\n');
setInterval(() => {}, 1000);
`;

async function changeThenKill(id: string, status: string, commit: boolean, clock: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', CHILD, w.url, id, status, commit ? 'yes' : 'no'],
    { cwd: process.cwd(), env: { ...process.env, CLOCK: clock }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('changed')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code} before the change`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

test(
  'a process SIGKILLed inside the state change leaves neither change nor record; after its commit, both',
  async () => {
    const { at, until } = w;
    at(1000);
    const id = await w.create('crashy');
    await until(id, (i) => i?.status === 'running' && i.task === null);
    const ledger = async () =>
      (await w.db('usage_records').where({ resource_id: id }).orderBy('id')).map(
        (r: { item: string; ended_at: Date | null }) => [r.item, r.ended_at?.toISOString() ?? null],
      );
    expect(await ledger()).toEqual([['instance:t.n1.micro:running', null]]);

    await changeThenKill(id, 'stopped', false, iso(1100));
    // Postgres rolls the dead session's transaction back once it notices the lost connection.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const n = await w
        .db('pg_stat_activity')
        .where({ datname: new URL(w.url).pathname.slice(1) })
        .whereRaw("state LIKE 'idle in transaction%'")
        .count('* as n');
      if (Number((n[0] as { n: number }).n) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await w.wiring.services.instances.get(w.scope(), id)).status).toBe('running');
    expect(await ledger()).toEqual([['instance:t.n1.micro:running', null]]);

    await changeThenKill(id, 'stopped', true, iso(1200));
    expect((await w.wiring.services.instances.get(w.scope(), id)).status).toBe('stopped');
    expect(await ledger()).toEqual([
      ['instance:t.n1.micro:running', new Date(T0 + 1200_000).toISOString()],
      ['instance:t.n1.micro:stopped', null],
    ]);
  },
  TEST_TIMEOUT_MS,
);
