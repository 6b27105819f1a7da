// libvirt data streams (volume upload/download, console) as node Duplex streams with backpressure, finish and abort.
import { Duplex } from 'node:stream';
import { ClientErrorCode, LibvirtError, readRemoteError } from './errors.js';
import { PacketStatus, PacketType, type Packet } from './framing.js';
import type { RpcConnection, StreamHandler } from './rpc.js';
import { XdrReader } from './xdr.js';

/** Data bytes per STREAM packet we send (what libvirt's own client uses). */
export const STREAM_CHUNK = 262_120;

/**
 * One libvirt stream. The readable side yields what the server sends (download, console output);
 * the writable side sends to the server (upload, console input); `end()` performs libvirt's finish
 * handshake and the 'finish' event fires only once the server confirmed; `destroy()` before that
 * aborts the stream on the server. Server errors destroy the stream with their LibvirtError.
 */
export class LibvirtStream extends Duplex implements StreamHandler {
  private serial = 0;
  private done = false;
  private finishCb: ((err?: Error | null) => void) | undefined;
  private eofSeen = false;

  /** @internal Created by the client; not constructed by callers. */
  constructor(
    private readonly rpc: RpcConnection,
    private readonly prog: number,
    private readonly proc: number,
  ) {
    super({ allowHalfOpen: true, readableHighWaterMark: 1 << 20, writableHighWaterMark: 1 << 20 });
    // A server error can arrive together with the call's reply, before the caller has had a chance
    // to attach listeners. It must not become an uncaught 'error' event: the stream is destroyed
    // with it, so for-await, pipeline() and stream.errored still report it.
    this.on('error', () => undefined);
  }

  /** @internal Binds the stream to the serial of the call that opened it. */
  attach(serial: number): this {
    this.serial = serial;
    return this;
  }

  /** @internal */
  onPacket(pkt: Packet): void {
    const { type, status } = pkt.header;
    if (type === PacketType.StreamHole) {
      this.fail(
        new LibvirtError({
          code: ClientErrorCode.PROTOCOL,
          message: 'sparse stream holes are not supported',
        }),
      );
      return;
    }
    if (status === PacketStatus.Continue) {
      if (pkt.payload.length === 0) {
        // An empty data packet is the server's EOF; answer with finish and end when it is confirmed.
        this.eofSeen = true;
        this.send(PacketStatus.Ok);
        return;
      }
      if (!this.push(pkt.payload)) this.rpc.pauseFor(this.serial);
      return;
    }
    if (status === PacketStatus.Ok) {
      // The server confirmed our finish (or our abort).
      this.done = true;
      this.rpc.unregisterStream(this.serial);
      const cb = this.finishCb;
      this.finishCb = undefined;
      cb?.();
      this.push(null);
      return;
    }
    let err: LibvirtError;
    try {
      err = readRemoteError(new XdrReader(pkt.payload), this.proc);
    } catch (e) {
      err = new LibvirtError(
        { code: ClientErrorCode.PROTOCOL, message: 'undecodable stream error' },
        this.proc,
        e,
      );
    }
    this.fail(err);
  }

  /** @internal */
  onConnectionClosed(err: LibvirtError): void {
    this.done = true;
    this.fail(err);
  }

  override _read(): void {
    this.rpc.resumeFor(this.serial);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    void this.writeChunks(chunk).then(() => cb(), cb);
  }

  private async writeChunks(chunk: Buffer): Promise<void> {
    for (let off = 0; off < chunk.length; off += STREAM_CHUNK) {
      if (this.done)
        throw new LibvirtError({ code: ClientErrorCode.STREAM_ABORTED, message: 'stream is closed' });
      const ok = this.rpc.sendStream(
        this.prog,
        this.proc,
        this.serial,
        PacketStatus.Continue,
        chunk.subarray(off, off + STREAM_CHUNK),
      );
      if (!ok) await this.rpc.drain();
    }
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.done) return cb();
    this.finishCb = cb;
    if (!this.eofSeen) this.send(PacketStatus.Ok);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.done) {
      // Abort on the server; its acknowledgement is not awaited, the routing entry goes now.
      this.done = true;
      this.send(PacketStatus.Error);
      this.rpc.unregisterStream(this.serial);
    }
    const f = this.finishCb;
    this.finishCb = undefined;
    f?.(err ?? new LibvirtError({ code: ClientErrorCode.STREAM_ABORTED, message: 'stream aborted' }));
    cb(err);
  }

  private send(status: number): void {
    try {
      this.rpc.sendStream(this.prog, this.proc, this.serial, status);
    } catch {
      // The connection is gone; onConnectionClosed reports that.
    }
  }

  private fail(err: LibvirtError): void {
    this.done = true;
    this.rpc.unregisterStream(this.serial);
    const cb = this.finishCb;
    this.finishCb = undefined;
    cb?.(err);
    this.destroy(err);
  }
}
