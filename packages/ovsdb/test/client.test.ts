// The OVSDB client against a real ovsdb-server holding the OVN northbound schema: transact with
// every operation kind and named-UUID references, per-operation and commit errors, wait, monitor
// and monitor_cancel, echo, per-call timeouts, a server that goes away, over unix, TCP and SSL.
import { describe, expect, it } from '@jest/globals';
import {
  ClientErrorKind,
  OvsdbClient,
  OvsdbTransactionError,
  eq,
  includes,
  isConnectionClosed,
  isTransactionError,
  map,
  namedUuid,
  op,
  recordOf,
  set,
  stringsOf,
  uuidOf,
  uuidsOf,
  type TableUpdates,
} from '../src/index.js';
import { startServer, type TestServer } from './server.js';

const NB = 'OVN_Northbound';
let srv: TestServer;
let c: OvsdbClient;

beforeAll(async () => {
  srv = await startServer({ ssl: true });
  c = await OvsdbClient.connect(srv.unix);
}, 60_000);
afterAll(async () => {
  await c?.close();
  await srv?.stop();
});

const switchNames = async () =>
  (await c.transact(NB, [op.select('Logical_Switch', [], ['name'])]))[0].rows
    .map((r) => String(r.name))
    .sort();

describe('OvsdbClient over a unix socket', () => {
  it('lists databases and reads the schema', async () => {
    expect(await c.listDbs()).toContain(NB);
    const schema = await c.getSchema(NB);
    expect(schema.name).toBe(NB);
    expect(Object.keys(schema.tables)).toContain('Logical_Switch_Port');
  });

  it('inserts rows that reference each other by named UUID in one transaction', async () => {
    const [ls, lsp] = await c.transact(NB, [
      op.insert('Logical_Switch', {
        name: 'ls-a',
        ports: set([namedUuid('p1')]),
        external_ids: map({ owner: 'kovn' }),
      }),
      op.insert('Logical_Switch_Port', { name: 'p-a', addresses: set(['02:00:00:00:00:01 10.0.0.5']) }, 'p1'),
      op.comment('kovn: insert test'),
    ]);
    const [sel] = await c.transact(NB, [op.select('Logical_Switch', [eq('name', 'ls-a')])]);
    expect(sel.rows).toHaveLength(1);
    expect(uuidOf(sel.rows[0]!._uuid)).toBe(uuidOf(ls.uuid));
    expect(uuidsOf(sel.rows[0]!.ports)).toEqual([uuidOf(lsp.uuid)]);
    expect(recordOf(sel.rows[0]!.external_ids)).toEqual({ owner: 'kovn' });
  });

  it('updates, mutates and deletes, reporting counts', async () => {
    const [upd] = await c.transact(NB, [
      op.update('Logical_Switch_Port', [eq('name', 'p-a')], {
        port_security: set(['02:00:00:00:00:01 10.0.0.5']),
      }),
    ]);
    expect(upd.count).toBe(1);
    const [mut] = await c.transact(NB, [
      op.mutate('Logical_Switch', [eq('name', 'ls-a')], [['external_ids', 'insert', map({ extra: 'yes' })]]),
    ]);
    expect(mut.count).toBe(1);
    const [found] = await c.transact(NB, [
      op.select('Logical_Switch', [includes('external_ids', map({ extra: 'yes' }))], ['name']),
    ]);
    expect(found.rows.map((r) => r.name)).toEqual(['ls-a']);
    const [lsp] = await c.transact(NB, [
      op.select('Logical_Switch_Port', [eq('name', 'p-a')], ['port_security']),
    ]);
    expect(stringsOf(lsp.rows[0]!.port_security)).toEqual(['02:00:00:00:00:01 10.0.0.5']);
    const [del] = await c.transact(NB, [op.delete('Logical_Switch', [eq('name', 'ls-a')])]);
    expect(del.count).toBe(1);
    // The port was only referenced by the switch: OVSDB garbage-collected it with it.
    const [gone] = await c.transact(NB, [op.select('Logical_Switch_Port', [eq('name', 'p-a')])]);
    expect(gone.rows).toEqual([]);
  });

  it('surfaces the failing operation and applies nothing of the transaction', async () => {
    await c.transact(NB, [op.insert('Logical_Switch', { name: 'ls-dup' })]);
    const before = await switchNames();
    const e = await c
      .transact(NB, [
        op.insert('Logical_Switch', { name: 'ls-new' }),
        op.insert('Logical_Switch', { name: 'x', bogus_column: 1 }),
      ])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OvsdbTransactionError);
    expect((e as OvsdbTransactionError).failures[0]).toMatchObject({
      index: 1,
      op: 'insert',
      error: 'unknown column',
    });
    expect(await switchNames()).toEqual(before);
  });

  it('reports a commit-time failure (a reference to a row that does not exist)', async () => {
    const e = await c
      .transact(NB, [
        op.insert('Logical_Switch', {
          name: 'ls-ref',
          ports: set([['uuid', '00000000-0000-4000-8000-000000000000']]),
        }),
      ])
      .catch((x: unknown) => x);
    expect(isTransactionError(e, 'referential integrity violation')).toBe(true);
    expect((e as OvsdbTransactionError).failures[0]).toMatchObject({ index: 1, op: 'commit' });
  });

  it('fails a transaction whose wait condition does not hold', async () => {
    const e = await c
      .transact(NB, [
        op.wait('Logical_Switch', [eq('name', 'ls-dup')], ['name'], '==', []),
        op.insert('Logical_Switch', { name: 'never' }),
      ])
      .catch((x: unknown) => x);
    expect(isTransactionError(e, 'timed out')).toBe(true);
    expect(await switchNames()).not.toContain('never');
    // The same wait passes when the row is as stated.
    await c.transact(NB, [
      op.wait('Logical_Switch', [eq('name', 'ls-dup')], ['name'], '==', [{ name: 'ls-dup' }]),
    ]);
  });

  it('monitors a table: initial rows, then insert, modify and delete; nothing after cancel', async () => {
    const seen: TableUpdates[] = [];
    const m = await c.monitor(NB, { Logical_Switch: { columns: ['name', 'external_ids'] } }, (u) =>
      seen.push(u),
    );
    expect(Object.values(m.initial.Logical_Switch ?? {}).map((r) => r.new?.name)).toContain('ls-dup');
    const [ins] = await c.transact(NB, [op.insert('Logical_Switch', { name: 'ls-mon' })]);
    const id = uuidOf(ins.uuid);
    await c.transact(NB, [
      op.update('Logical_Switch', [eq('name', 'ls-mon')], { external_ids: map({ k: 'v' }) }),
    ]);
    await c.transact(NB, [op.delete('Logical_Switch', [eq('name', 'ls-mon')])]);
    await c.echo(); // the server sends updates before answering later requests
    const rows = seen.map((u) => u.Logical_Switch?.[id]).filter(Boolean);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ new: { name: 'ls-mon', external_ids: ['map', []] } });
    expect(recordOf(rows[1]!.new!.external_ids)).toEqual({ k: 'v' });
    expect(rows[2]!.new).toBeUndefined();
    await m.cancel();
    const n = seen.length;
    await c.transact(NB, [op.insert('Logical_Switch', { name: 'ls-after-cancel' })]);
    await c.echo();
    expect(seen).toHaveLength(n);
  });

  it('echoes, and times out a call the server holds longer than its timeout', async () => {
    expect(await c.echo(['hi', 1])).toEqual(['hi', 1]);
    // A wait with a timeout makes the server hold the transaction; our bound fires first.
    const t0 = Date.now();
    const e = await c
      .transact(NB, [op.wait('Logical_Switch', [eq('name', 'ls-dup')], ['name'], '==', [], 5000)], {
        timeoutMs: 200,
      })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: ClientErrorKind.TIMEOUT });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await c.echo(['still alive'])).toEqual(['still alive']);
  });
});

describe('OvsdbClient over TCP and SSL', () => {
  it('transacts over tcp:', async () => {
    const t = await OvsdbClient.connect(srv.tcp);
    try {
      expect(await t.listDbs()).toContain(NB);
    } finally {
      await t.close();
    }
  });

  it('transacts over ssl: with client certificates, and refuses a wrong CA', async () => {
    const t = await OvsdbClient.connect(srv.ssl!, { tls: srv.tls! });
    try {
      expect(await t.listDbs()).toContain(NB);
    } finally {
      await t.close();
    }
    const bad = { ...srv.tls!, ca: srv.tls!.cert };
    await expect(OvsdbClient.connect(srv.ssl!, { tls: bad, connectTimeoutMs: 5000 })).rejects.toMatchObject({
      name: 'OvsdbClientError',
    });
  });
});

describe('a server that goes away', () => {
  it('fails pending and later calls with CONNECTION_CLOSED and emits close once', async () => {
    const s = await startServer();
    const k = await OvsdbClient.connect(s.unix);
    const closes: unknown[] = [];
    k.on('close', (e) => closes.push(e));
    const pending = k
      .transact(NB, [op.wait('Logical_Switch', [], ['name'], '!=', [], 10_000)])
      .catch((x: unknown) => x);
    await s.stop();
    const e = await pending;
    expect(isConnectionClosed(e)).toBe(true);
    expect(isConnectionClosed(await k.echo().catch((x: unknown) => x))).toBe(true);
    expect(closes).toHaveLength(1);
    expect(k.closed).toBe(true);
  });
});
