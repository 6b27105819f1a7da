// The RPC core against fake peers on a unix socket: a peer that dies mid-call, one that goes silent
// (keepalive), one that sends garbage, and keepalive PINGs from the peer that must be answered.
import { describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import {
  ClientErrorCode,
  FrameDecoder,
  LibvirtClient,
  LibvirtError,
  Program,
  Proc,
  XdrWriter,
  isConnectionClosed,
  unixTransport,
  type Packet,
} from '../src/index.js';
import { encodeFrame } from '../src/framing.js';
import { tempDir } from './env.js';

type Behaviour = (sock: net.Socket, pkt: Packet, reply: (payload?: Buffer) => void) => void;

/** A fake libvirtd: answers the handshake, then hands every other call to `after`. */
async function fakePeer(
  after: Behaviour,
): Promise<{ path: string; server: net.Server; sockets: net.Socket[]; close(): Promise<void> }> {
  const dir = tempDir('kumo-lvtest-peer-');
  const path = join(dir, 'sock');
  const sockets: net.Socket[] = [];
  const server = net.createServer((sock) => {
    sockets.push(sock);
    const dec = new FrameDecoder();
    sock.on('error', () => undefined);
    sock.on('data', (chunk) => {
      for (const pkt of dec.push(chunk)) {
        const h = pkt.header;
        const reply = (payload?: Buffer) =>
          sock.write(encodeFrame({ ...h, type: 1, status: 0 }, payload ?? Buffer.alloc(0)));
        if (h.prog === Program.KEEPALIVE) continue;
        if (h.proc === Proc.AUTH_LIST) reply(new XdrWriter().array([0], (w, v) => w.int(v)).finish());
        else if (h.proc === Proc.CONNECT_SUPPORTS_FEATURE) reply(new XdrWriter().int(1).finish());
        else if (h.proc === Proc.CONNECT_OPEN || h.proc === Proc.CONNECT_CLOSE) reply();
        else after(sock, pkt, reply);
      }
    });
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    path,
    server,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const hostnameReply = (name: string) => new XdrWriter().string(name).finish();

describe('RPC core against fake peers', () => {
  it('rejects every pending call when the peer dies mid-call', async () => {
    let held = 0;
    const peer = await fakePeer((sock) => {
      // Hold the calls unanswered, then drop the connection once three are in flight.
      if (++held === 3) sock.destroy();
    });
    const c = await LibvirtClient.connect('qemu:///system', { transport: unixTransport(peer.path) });
    const disconnected = new Promise<LibvirtError>((r) => c.once('disconnect', r));
    const results = await Promise.allSettled([
      c.connectGetHostname(),
      c.connectGetHostname(),
      c.connectGetHostname(),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect(isConnectionClosed((r as PromiseRejectedResult).reason)).toBe(true);
    expect((await disconnected).code).toBe(ClientErrorCode.CONNECTION_CLOSED);
    // Calls after the drop fail fast instead of hanging.
    await expect(c.connectGetHostname()).rejects.toBeInstanceOf(LibvirtError);
    await c.close();
    await peer.close();
  });

  it('routes out-of-order replies to the right callers', async () => {
    const pending: Array<() => void> = [];
    const peer = await fakePeer((_sock, pkt, reply) => {
      const serial = pkt.header.serial;
      pending.push(() => reply(hostnameReply(`host-${serial}`)));
      if (pending.length === 20) for (const f of pending.reverse()) f();
    });
    const c = await LibvirtClient.connect('qemu:///system', { transport: unixTransport(peer.path) });
    const names = await Promise.all(Array.from({ length: 20 }, () => c.connectGetHostname()));
    expect(new Set(names).size).toBe(20);
    expect(names.every((n) => /^host-\d+$/.test(n))).toBe(true);
    // Serials were handed out in call order, so sorted serials map back to call order.
    const serials = names.map((n) => Number(n.slice(5)));
    expect(serials).toEqual([...serials].sort((a, b) => a - b));
    await c.close();
    await peer.close();
  });

  it('declares a silent peer dead within the keepalive bound', async () => {
    const peer = await fakePeer(() => undefined);
    const c = await LibvirtClient.connect('qemu:///system', {
      transport: unixTransport(peer.path),
      keepaliveIntervalMs: 100,
      keepaliveCount: 3,
    });
    const t0 = Date.now();
    const err = await c.connectGetHostname().catch((e: LibvirtError) => e);
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(ClientErrorCode.KEEPALIVE_TIMEOUT);
    expect(elapsed).toBeLessThan(1000);
    await c.close();
    await peer.close();
  });

  it('answers PINGs from the peer and stays alive while the peer answers ours', async () => {
    let pongs = 0;
    const peer = await fakePeer((_sock, _pkt, reply) => reply(hostnameReply('alive')));
    peer.server.on('connection', (sock) => {
      sock.on('data', (chunk) => {
        // Count PONGs (keepalive proc 2) and answer our client's PINGs (proc 1).
        for (let off = 0; off + 28 <= chunk.length;) {
          const len = chunk.readUInt32BE(off);
          if (chunk.readUInt32BE(off + 4) === Program.KEEPALIVE) {
            const proc = chunk.readUInt32BE(off + 12);
            if (proc === 2) pongs++;
            if (proc === 1)
              sock.write(
                encodeFrame({ prog: Program.KEEPALIVE, vers: 1, proc: 2, type: 2, serial: 0, status: 0 }),
              );
          }
          off += len;
        }
      });
      const ping = setInterval(
        () =>
          sock.write(
            encodeFrame({ prog: Program.KEEPALIVE, vers: 1, proc: 1, type: 2, serial: 0, status: 0 }),
          ),
        50,
      );
      sock.on('close', () => clearInterval(ping));
    });
    const c = await LibvirtClient.connect('qemu:///system', {
      transport: unixTransport(peer.path),
      keepaliveIntervalMs: 100,
      keepaliveCount: 3,
    });
    await new Promise((r) => setTimeout(r, 600));
    expect(c.connected).toBe(true);
    expect(pongs).toBeGreaterThan(3);
    expect(await c.connectGetHostname()).toBe('alive');
    await c.close();
    await peer.close();
  });

  it('turns a hostile frame into a PROTOCOL error, not a crash or an allocation', async () => {
    const peer = await fakePeer((sock) => sock.write(Buffer.from('ffffffff00000000', 'hex')));
    const c = await LibvirtClient.connect('qemu:///system', { transport: unixTransport(peer.path) });
    const err = (await c.connectGetHostname().catch((e: unknown) => e)) as LibvirtError;
    expect(err.code).toBe(ClientErrorCode.PROTOCOL);
    expect(c.connected).toBe(false);
    await c.close();
    await peer.close();
  });

  it('rejects a reply that does not decode without dropping the connection', async () => {
    let n = 0;
    const peer = await fakePeer((_sock, _pkt, reply) => {
      // First reply: a string length pointing past the end; then a good one.
      reply(n++ === 0 ? Buffer.from('7fffffff41414141', 'hex') : hostnameReply('ok'));
    });
    const c = await LibvirtClient.connect('qemu:///system', { transport: unixTransport(peer.path) });
    const err = (await c.connectGetHostname().catch((e: unknown) => e)) as LibvirtError;
    expect(err.code).toBe(ClientErrorCode.PROTOCOL);
    expect(await c.connectGetHostname()).toBe('ok');
    await c.close();
    await peer.close();
  });

  it('reconnects by itself and re-registers after the peer drops (autoReconnect)', async () => {
    let registered = 0;
    const peer = await fakePeer((sock, pkt, reply) => {
      if (pkt.header.proc === Proc.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY) {
        registered++;
        reply(new XdrWriter().int(registered).finish());
        if (registered === 1) setTimeout(() => sock.destroy(), 20);
      } else reply();
    });
    const c = await LibvirtClient.connect('qemu:///system', {
      transport: unixTransport(peer.path),
      autoReconnect: true,
    });
    const reconnected = new Promise<void>((r) => c.once('reconnect', r));
    const sub = await c.domainEventLifecycle();
    await reconnected;
    expect(registered).toBe(2);
    expect(sub.callbackId).toBe(2);
    await c.close();
    await peer.close();
  });

  const vol = { pool: 'p', name: 'v', key: '/p/v' };
  const streamFrame = (pkt: Packet, status: number, payload?: Buffer) =>
    encodeFrame({ ...pkt.header, type: 3, status }, payload ?? Buffer.alloc(0));
  const remoteError = (code: number, message: string) => {
    const w = new XdrWriter().int(code).int(38);
    w.optional(message, (x, v) => x.string(v));
    w.int(2).uint(0).uint(0).uint(0).uint(0).int(0).int(0).uint(0);
    return w.finish();
  };

  it('downloads: data, EOF, finish handshake, then the stream ends', async () => {
    const seen: number[] = [];
    const peer = await fakePeer((sock, pkt, reply) => {
      if (pkt.header.type === 0 && pkt.header.proc === Proc.STORAGE_VOL_DOWNLOAD) {
        reply();
        for (const part of ['abc', 'defg', 'h']) sock.write(streamFrame(pkt, 2, Buffer.from(part)));
        sock.write(streamFrame(pkt, 2)); // empty data packet = EOF
      } else if (pkt.header.type === 3) {
        seen.push(pkt.header.status);
        if (pkt.header.status === 0) sock.write(streamFrame(pkt, 0)); // confirm the client's finish
      }
    });
    const c = await LibvirtClient.connect('qemu:///system', { transport: unixTransport(peer.path) });
    const chunks: Buffer[] = [];
    for await (const b of await c.storageVolDownload(vol)) chunks.push(b as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abcdefgh');
    expect(seen).toEqual([0]);
    await c.close();
    await peer.close();
  });

  it('surfaces a server-side stream error as the LibvirtError it carries, and the connection stays usable', async () => {
    const peer = await fakePeer((sock, pkt, reply) => {
      if (pkt.header.type !== 0) return;
      if (pkt.header.proc === Proc.CONNECT_GET_HOSTNAME) return reply(hostnameReply('still-here'));
      reply();
      sock.write(streamFrame(pkt, 2, Buffer.from('partial')));
      sock.write(streamFrame(pkt, 1, remoteError(1, 'disk went away')));
    });
    const c = await LibvirtClient.connect('qemu:///system', { transport: unixTransport(peer.path) });
    const s = await c.storageVolDownload(vol);
    const err = await (async () => {
      for await (const _ of s) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(1);
    expect((err as LibvirtError).domain).toBe(38);
    // The error ended only the stream: the session survives and the next call is answered.
    expect(c.connected).toBe(true);
    expect(await c.connectGetHostname()).toBe('still-here');
    await c.close();
    await peer.close();
  });

  it('uploads: data packets of at most 262,120 bytes, finish, confirmation; a failing source aborts', async () => {
    const sizes: number[] = [];
    const statuses: number[] = [];
    const peer = await fakePeer((sock, pkt, reply) => {
      if (pkt.header.type === 0) return reply();
      if (pkt.header.status === 2) sizes.push(pkt.payload.length);
      else {
        statuses.push(pkt.header.status);
        sock.write(streamFrame(pkt, 0)); // confirm finish or abort
      }
    });
    const c = await LibvirtClient.connect('qemu:///system', { transport: unixTransport(peer.path) });
    async function* source() {
      yield Buffer.alloc(600_000, 1);
      yield Buffer.alloc(10, 2);
    }
    await c.storageVolUpload(vol, source());
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(600_010);
    expect(Math.max(...sizes)).toBe(262_120);
    expect(statuses).toEqual([0]);
    async function* failing() {
      yield Buffer.alloc(100);
      throw new Error('source failed');
    }
    await expect(c.storageVolUpload(vol, failing())).rejects.toThrow('source failed');
    await new Promise((r) => setTimeout(r, 50));
    expect(statuses).toEqual([0, 1]);
    await c.close();
    await peer.close();
  });
});
