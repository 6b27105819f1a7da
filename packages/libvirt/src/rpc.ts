// RPC core for one libvirt connection: serials, concurrent calls, reply/stream/message routing,
// keepalive and teardown (writes go through outbound.ts). Knows no procedures.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { ClientErrorCode, LibvirtError, readRemoteError } from './errors.js';
import {
  FrameDecoder,
  MAX_FRAME,
  PacketStatus,
  PacketType,
  encodeFrame,
  finishFrame,
  frameWriter,
  type Packet,
  type PacketHeader,
} from './framing.js';
import { Outbound } from './outbound.js';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  type Decoder,
  type Encoder,
  type RpcOptions,
  type StreamHandler,
} from './rpc-types.js';

export { DEFAULT_CALL_TIMEOUT_MS, type Decoder, type Encoder, type RpcOptions, type StreamHandler };
import { XdrError, XdrReader } from './xdr.js';

/** Program numbers. */
export const Program = {
  REMOTE: 0x20008086,
  QEMU: 0x20008087,
  LXC: 0x00068000,
  KEEPALIVE: 0x6b656570,
} as const;

const KEEPALIVE_PING = 1;
const KEEPALIVE_PONG = 2;

interface Pending {
  proc: number;
  decode: Decoder<unknown> | undefined;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * One RPC session over a byte stream. Emits 'message' (header, payload) for MESSAGE packets that
 * are not keepalive (events), and 'close' (LibvirtError) exactly once when the session ends.
 */
export class RpcConnection extends EventEmitter {
  private readonly decoder: FrameDecoder;
  private readonly pending = new Map<number, Pending>();
  private readonly streams = new Map<number, StreamHandler>();
  private readonly pausedBy = new Set<number>();
  private nextSerial = 1;
  private readonly outbound: Outbound;
  private readonly maxInFlight: number;
  private readonly callTimeoutMs: number;
  private queued: Array<{ serial: number; frame: Buffer }> = [];
  private lastReceived = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private closedWith: LibvirtError | undefined;

  constructor(
    private readonly sock: Duplex,
    opts: RpcOptions = {},
  ) {
    super();
    this.decoder = new FrameDecoder(opts.maxFrame ?? MAX_FRAME);
    this.maxInFlight = opts.maxInFlight ?? Infinity;
    this.callTimeoutMs = opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.outbound = new Outbound(sock, opts.oneFramePerWrite ?? false);
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    // A transport may have been read in paused mode before (the TLS check byte); make it flow.
    sock.resume();
    sock.on('error', (e: Error) =>
      this.fail(
        new LibvirtError(
          { code: ClientErrorCode.CONNECTION_CLOSED, message: `connection error: ${e.message}` },
          undefined,
          e,
        ),
      ),
    );
    sock.on('end', () => this.fail(closedError('connection closed by peer')));
    sock.on('close', () => this.fail(closedError('connection closed')));
    const interval = opts.keepaliveIntervalMs ?? 5000;
    const count = opts.keepaliveCount ?? 5;
    if (interval > 0) {
      this.timer = setInterval(
        () => this.keepaliveTick(interval, count),
        Math.max(10, Math.floor(interval / 2)),
      );
      this.timer.unref();
    }
  }

  /** True once the session has ended (by either side). */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Calls still waiting for a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends a CALL and resolves with the decoded reply. An ERROR reply rejects with its LibvirtError;
   * a reply that does not decode rejects with a PROTOCOL LibvirtError. If `stream` is given it is
   * registered under the call's serial before the call is sent, because data may follow the reply at once.
   */
  call<T>(
    prog: number,
    proc: number,
    encode?: Encoder,
    decode?: Decoder<T>,
    stream?: (serial: number) => StreamHandler,
  ): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const serial = this.allocSerial();
    let frame: Buffer;
    try {
      const w = frameWriter();
      encode?.(w);
      frame = finishFrame(w, { prog, vers: 1, proc, type: PacketType.Call, serial, status: PacketStatus.Ok });
    } catch (e) {
      return Promise.reject(
        e instanceof XdrError ? new LibvirtError({ code: 8, message: e.message }, proc, e) : e,
      );
    }
    return new Promise<T>((resolve, reject) => {
      const timer =
        this.callTimeoutMs > 0
          ? setTimeout(() => this.expire(serial), this.callTimeoutMs).unref()
          : undefined;
      this.pending.set(serial, { proc, decode, resolve: resolve as (v: unknown) => void, reject, timer });
      if (stream) this.streams.set(serial, stream(serial));
      this.write(frame, serial);
    });
  }

  /** Sends a stream packet (data, finish, abort) for an open stream; false means wait for `drain()`. */
  sendStream(prog: number, proc: number, serial: number, status: number, data?: Uint8Array): boolean {
    if (this.closedWith) throw this.closedWith;
    return this.outbound.write(
      encodeFrame({ prog, vers: 1, proc, type: PacketType.Stream, serial, status }, data),
    );
  }

  /** Resolves when the transport's write buffer has drained (or at once if it is not full). */
  drain(): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return this.outbound.drain();
  }

  /** Removes a stream's routing entry. */
  unregisterStream(serial: number): void {
    this.streams.delete(serial);
    this.resumeFor(serial);
  }

  /**
   * Stops reading from the transport on behalf of a stream whose consumer is slow. All traffic on
   * the connection waits, which is the only backpressure libvirt's protocol offers.
   */
  pauseFor(serial: number): void {
    this.pausedBy.add(serial);
    this.sock.pause();
  }

  /** Undoes pauseFor; reading resumes when no stream holds it paused. */
  resumeFor(serial: number): void {
    if (!this.pausedBy.delete(serial)) return;
    if (this.pausedBy.size === 0) {
      this.lastReceived = Date.now();
      this.sock.resume();
    }
  }

  /** Ends the session from our side: half-closes the transport and waits (at most 2 s) for it to close. */
  end(): Promise<void> {
    if (this.closedWith) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => this.fail(closedError('connection closed by client')), 2000);
      this.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      this.sock.end();
    });
  }

  /** Tears the session down at once with `err` (or a generic closed error). */
  destroy(err?: LibvirtError): void {
    this.fail(err ?? closedError('connection destroyed'));
  }

  /**
   * Sends a call frame now, or queues it while `maxInFlight` calls await replies. libvirtd 9.0 over
   * TLS leaves RPC messages that arrived together unprocessed inside gnutls until more bytes come
   * (observed: 3 concurrent calls stall until the next keepalive), so the TLS transport limits
   * the calls it lets the server see at once.
   */
  private write(frame: Buffer, serial: number): void {
    if (this.pending.size - this.queued.length > this.maxInFlight) {
      this.queued.push({ serial, frame });
      return;
    }
    this.outbound.write(frame);
  }

  private sendQueued(): void {
    while (this.queued.length > 0 && this.pending.size - this.queued.length < this.maxInFlight) {
      const q = this.queued.shift()!;
      if (this.pending.has(q.serial)) this.outbound.write(q.frame);
    }
  }

  private allocSerial(): number {
    // Serial 0 is used by keepalive; skip it and any serial still in use after wrap-around.
    for (;;) {
      const s = this.nextSerial;
      this.nextSerial = s >= 0xffff_ffff ? 1 : s + 1;
      if (!this.pending.has(s) && !this.streams.has(s)) return s;
    }
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    let packets: Packet[];
    try {
      packets = this.decoder.push(chunk);
    } catch (e) {
      this.fail(
        new LibvirtError(
          { code: ClientErrorCode.PROTOCOL, message: `protocol error: ${(e as Error).message}` },
          undefined,
          e,
        ),
      );
      return;
    }
    for (const p of packets) {
      if (this.closedWith) return;
      this.dispatch(p);
    }
  }

  private dispatch(p: Packet): void {
    const h = p.header;
    switch (h.type) {
      case PacketType.Reply:
      case PacketType.ReplyWithFds:
        return this.onReply(h, p.payload);
      case PacketType.Stream:
      case PacketType.StreamHole: {
        const s = this.streams.get(h.serial);
        if (s) s.onPacket(p);
        return;
      }
      case PacketType.Message:
        if (h.prog === Program.KEEPALIVE) {
          if (h.proc === KEEPALIVE_PING) this.sendKeepalive(KEEPALIVE_PONG);
          return;
        }
        this.emit('message', h, p.payload);
        return;
      default:
        // Servers never send CALLs to clients; ignore anything else rather than guess.
        return;
    }
  }

  /** A call's deadline passed: it fails, its stream (if any) is forgotten, a late reply is dropped. */
  private expire(serial: number): void {
    const call = this.pending.get(serial);
    if (!call) return;
    this.pending.delete(serial);
    this.streams.delete(serial);
    if (this.queued.length > 0) this.sendQueued();
    call.reject(
      new LibvirtError(
        {
          code: ClientErrorCode.TIMEOUT,
          message: `call ${call.proc} did not complete within ${this.callTimeoutMs / 1000} s`,
        },
        call.proc,
      ),
    );
  }

  private onReply(h: PacketHeader, payload: Buffer): void {
    const call = this.pending.get(h.serial);
    if (!call) return;
    clearTimeout(call.timer);
    this.pending.delete(h.serial);
    if (this.queued.length > 0) this.sendQueued();
    try {
      const r = new XdrReader(payload);
      if (h.status === PacketStatus.Ok) {
        const v = call.decode ? call.decode(r) : undefined;
        r.done();
        call.resolve(v);
      } else {
        const err = readRemoteError(r, call.proc);
        this.dropStream(h.serial);
        call.reject(err);
      }
    } catch (e) {
      this.dropStream(h.serial);
      call.reject(
        new LibvirtError(
          {
            code: ClientErrorCode.PROTOCOL,
            message: `cannot decode reply to procedure ${call.proc}: ${(e as Error).message}`,
          },
          call.proc,
          e,
        ),
      );
    }
  }

  private dropStream(serial: number): void {
    if (this.streams.has(serial)) this.unregisterStream(serial);
  }

  private sendKeepalive(proc: number): void {
    if (this.closedWith) return;
    this.sock.write(
      encodeFrame({
        prog: Program.KEEPALIVE,
        vers: 1,
        proc,
        type: PacketType.Message,
        serial: 0,
        status: PacketStatus.Ok,
      }),
    );
  }

  private keepaliveTick(interval: number, count: number): void {
    // While a slow stream consumer holds the socket paused, silence is our doing, not the peer's.
    if (this.closedWith || this.pausedBy.size > 0) return;
    const silent = Date.now() - this.lastReceived;
    if (silent >= interval * count) {
      this.fail(
        new LibvirtError({
          code: ClientErrorCode.KEEPALIVE_TIMEOUT,
          message: `no answer from libvirtd for ${silent} ms (keepalive)`,
        }),
      );
    } else if (silent >= interval) {
      this.sendKeepalive(KEEPALIVE_PING);
    }
  }

  private fail(err: LibvirtError): void {
    if (this.closedWith) return;
    this.closedWith = err;
    if (this.timer) clearInterval(this.timer);
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.queued = [];
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) s.onConnectionClosed(err);
    this.outbound.stop(err);
    this.sock.destroy();
    this.emit('close', err);
  }
}

function closedError(message: string): LibvirtError {
  return new LibvirtError({ code: ClientErrorCode.CONNECTION_CLOSED, message });
}
