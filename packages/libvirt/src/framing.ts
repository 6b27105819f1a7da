// Packet framing for libvirt RPC: length word + 24-byte header + payload; splits a byte stream into packets. No I/O here.
import { XdrError, XdrWriter } from './xdr.js';

/** Bytes in the length word plus the header. */
export const HEADER_SIZE = 28;
/** Largest payload libvirtd accepts or sends (32 MiB minus the header). */
export const MAX_PAYLOAD = 33_554_408;
/** Largest whole frame we accept from a peer. */
export const MAX_FRAME = HEADER_SIZE + MAX_PAYLOAD;

/** Packet type field. */
export const PacketType = {
  Call: 0,
  Reply: 1,
  Message: 2,
  Stream: 3,
  CallWithFds: 4,
  ReplyWithFds: 5,
  StreamHole: 6,
} as const;

/** Packet status field. */
export const PacketStatus = {
  Ok: 0,
  Error: 1,
  Continue: 2,
} as const;

/** The fixed header that follows the length word. */
export interface PacketHeader {
  prog: number;
  vers: number;
  proc: number;
  type: number;
  serial: number;
  status: number;
}

/** A decoded packet: header and a view of its payload (valid until the next read from the same socket chunk is reused). */
export interface Packet {
  header: PacketHeader;
  payload: Buffer;
}

/** Returns a writer whose first 28 bytes are reserved for the frame prefix; pass it to `finishFrame`. */
export function frameWriter(initialPayload = 256): XdrWriter {
  return new XdrWriter(HEADER_SIZE + initialPayload, HEADER_SIZE);
}

/** Fills in the length word and header of a frame built with `frameWriter` and returns its bytes. */
export function finishFrame(w: XdrWriter, h: PacketHeader): Buffer {
  const buf = w.finish();
  if (buf.length > MAX_FRAME) throw new XdrError(`frame of ${buf.length} bytes exceeds ${MAX_FRAME}`);
  buf.writeUInt32BE(buf.length, 0);
  buf.writeUInt32BE(h.prog, 4);
  buf.writeUInt32BE(h.vers, 8);
  buf.writeInt32BE(h.proc, 12);
  buf.writeInt32BE(h.type, 16);
  buf.writeUInt32BE(h.serial, 20);
  buf.writeInt32BE(h.status, 24);
  return buf;
}

/** Encodes a frame whose payload is raw bytes (stream data) or empty. */
export function encodeFrame(h: PacketHeader, payload?: Uint8Array): Buffer {
  const len = HEADER_SIZE + (payload?.length ?? 0);
  if (len > MAX_FRAME) throw new XdrError(`frame of ${len} bytes exceeds ${MAX_FRAME}`);
  const buf = Buffer.allocUnsafe(len);
  buf.writeUInt32BE(len, 0);
  buf.writeUInt32BE(h.prog, 4);
  buf.writeUInt32BE(h.vers, 8);
  buf.writeInt32BE(h.proc, 12);
  buf.writeInt32BE(h.type, 16);
  buf.writeUInt32BE(h.serial, 20);
  buf.writeInt32BE(h.status, 24);
  if (payload) buf.set(payload, HEADER_SIZE);
  return buf;
}

/** Parses one complete frame (length word included); throws XdrError if it is inconsistent. */
export function decodeFrame(frame: Buffer): Packet {
  if (frame.length < HEADER_SIZE)
    throw new XdrError(`frame of ${frame.length} bytes is shorter than the header`);
  const len = frame.readUInt32BE(0);
  if (len !== frame.length)
    throw new XdrError(`frame length word ${len} does not match ${frame.length} bytes`);
  return {
    header: {
      prog: frame.readUInt32BE(4),
      vers: frame.readUInt32BE(8),
      proc: frame.readInt32BE(12),
      type: frame.readInt32BE(16),
      serial: frame.readUInt32BE(20),
      status: frame.readInt32BE(24),
    },
    payload: frame.subarray(HEADER_SIZE),
  };
}

/**
 * Reassembles frames from arbitrary chunks of a byte stream. A length word below the header size
 * or above `maxFrame` is an XdrError (the connection must then be dropped): memory is never
 * allocated for more than one frame of at most `maxFrame` bytes.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrame = MAX_FRAME) {}

  /** Feeds bytes and returns every frame now complete, in order. */
  push(chunk: Buffer): Packet[] {
    const out: Packet[] = [];
    let data = chunk;
    if (this.buffered > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered < 4) return out;
      const need = this.peekLength();
      if (this.buffered < need) return out;
      data = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
    }
    // Fast path: frames wholly inside `data` are sliced, not copied.
    let off = 0;
    while (data.length - off >= 4) {
      const len = this.check(data.readUInt32BE(off));
      if (data.length - off < len) break;
      out.push(decodeFrame(data.subarray(off, off + len)));
      off += len;
    }
    if (off < data.length) {
      const rest = data.subarray(off);
      this.chunks = [rest];
      this.buffered = rest.length;
    }
    return out;
  }

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peekLength(): number {
    const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    return this.check(head.readUInt32BE(0));
  }

  private check(len: number): number {
    if (len < HEADER_SIZE) throw new XdrError(`frame length ${len} is below the header size`);
    if (len > this.maxFrame) throw new XdrError(`frame length ${len} exceeds ${this.maxFrame}`);
    return len;
  }
}
