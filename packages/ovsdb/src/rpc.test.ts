// Unit tests of the JSON-RPC connection against a scripted peer on a socket pair: answering the
// server's echo, the inactivity probe, per-call timeouts, the pending-call bound, and closing.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ClientErrorKind } from './errors.js';
import { RpcConnection, type RpcOptions } from './rpc.js';

const dir = mkdtempSync(join(tmpdir(), 'kovn-rpc-'));
let seq = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two ends of a real unix socket: the client's and the scripted peer's. */
async function pair(): Promise<[Duplex, Duplex]> {
  const path = join(dir, `s${++seq}`);
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(path, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const a = net.connect(path);
  await new Promise((r) => a.once('connect', r));
  const b = await accepted;
  server.close();
  return [a, b];
}

const opts = (o: Partial<RpcOptions> = {}): RpcOptions => ({
  callTimeoutMs: 1000,
  inactivityProbeMs: 0,
  maxMessageBytes: 1 << 20,
  maxPendingCalls: 10,
  ...o,
});

/** Collects JSON messages the peer receives. */
function reader(peer: Duplex): unknown[] {
  const got: unknown[] = [];
  let buf = '';
  peer.on('data', (c: Buffer) => {
    buf += c.toString();
    // Messages from RpcConnection are separate writes of single JSON objects.
    for (;;) {
      const end = buf.indexOf('}{');
      if (end < 0) break;
      got.push(JSON.parse(buf.slice(0, end + 1)));
      buf = buf.slice(end + 1);
    }
    try {
      got.push(JSON.parse(buf));
      buf = '';
    } catch {
      /* incomplete */
    }
  });
  return got;
}

const until = async (f: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('RpcConnection', () => {
  it("answers the server's echo with the same id and params", async () => {
    const [a, b] = await pair();
    const rpc = new RpcConnection(a, opts(), 'test');
    const got = reader(b);
    b.write(JSON.stringify({ id: 'echo', method: 'echo', params: ['p'] }));
    await until(() => got.length === 1);
    expect(got[0]).toEqual({ id: 'echo', result: ['p'], error: null });
    await rpc.close();
  });

  it('matches answers to calls by id, out of order', async () => {
    const [a, b] = await pair();
    const rpc = new RpcConnection(a, opts(), 'test');
    const got = reader(b);
    const p1 = rpc.call('list_dbs', []);
    const p2 = rpc.call('get_schema', ['X']);
    await until(() => got.length === 2);
    const [m1, m2] = got as { id: number }[];
    b.write(JSON.stringify({ id: m2!.id, result: 'two', error: null }));
    b.write(JSON.stringify({ id: m1!.id, result: null, error: 'nope' }));
    await expect(p2).resolves.toBe('two');
    await expect(p1).rejects.toMatchObject({ name: 'OvsdbRpcError', method: 'list_dbs', error: 'nope' });
    await rpc.close();
  });

  it('times a call out and ignores its late answer', async () => {
    const [a, b] = await pair();
    const rpc = new RpcConnection(a, opts(), 'test');
    const got = reader(b);
    await expect(rpc.call('transact', [], 30)).rejects.toMatchObject({ kind: ClientErrorKind.TIMEOUT });
    b.write(JSON.stringify({ id: (got[0] as { id: number }).id, result: [], error: null }));
    await expect(rpc.call('echo', [], 30)).rejects.toMatchObject({ kind: ClientErrorKind.TIMEOUT });
    expect(rpc.closed).toBe(false);
    await rpc.close();
  });

  it('refuses calls beyond the pending bound rather than queueing them', async () => {
    const [a] = await pair();
    const rpc = new RpcConnection(a, opts({ maxPendingCalls: 2 }), 'test');
    const held = [rpc.call('echo', []), rpc.call('echo', [])];
    await expect(rpc.call('echo', [])).rejects.toThrow(/already pending/);
    await rpc.close();
    for (const h of held) await expect(h).rejects.toMatchObject({ kind: ClientErrorKind.CONNECTION_CLOSED });
  });

  it('probes an idle peer with echo and closes when it stays silent', async () => {
    const [a, b] = await pair();
    const rpc = new RpcConnection(a, opts({ inactivityProbeMs: 40 }), 'test');
    const got = reader(b);
    const closed = new Promise<Error>((r) => rpc.once('close', r));
    await until(() => got.some((m) => (m as { method?: string }).method === 'echo'));
    await expect(closed).resolves.toMatchObject({ kind: ClientErrorKind.KEEPALIVE_TIMEOUT });
    await expect(rpc.call('echo', [])).rejects.toMatchObject({ kind: ClientErrorKind.CONNECTION_CLOSED });
  });

  it('closes on bytes that are not JSON-RPC, failing pending calls', async () => {
    const [a, b] = await pair();
    const rpc = new RpcConnection(a, opts(), 'test');
    const p = rpc.call('echo', []);
    b.write('{"no":"shape"}');
    await expect(p).rejects.toMatchObject({ kind: ClientErrorKind.CONNECTION_CLOSED });
    expect(rpc.closed).toBe(true);
  });
});
