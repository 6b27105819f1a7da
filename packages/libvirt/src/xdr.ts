// XDR (RFC 4506) encoding and bounds-checked decoding of the types libvirt's protocol uses; knows nothing of libvirt itself.

/** Thrown for any malformed, truncated or oversized XDR input; decoding never throws anything else. */
export class XdrError extends Error {
  override readonly name = 'XdrError';
}

/** Largest string libvirt accepts (REMOTE_STRING_MAX). */
export const XDR_STRING_MAX = 4_194_304;

const pad4 = (n: number): number => (4 - (n & 3)) & 3;
const INT_MIN = -0x8000_0000;
const INT_MAX = 0x7fff_ffff;
const UINT_MAX = 0xffff_ffff;

/** Appends XDR values to a growing buffer; call finish() for the encoded bytes. */
export class XdrWriter {
  private buf: Buffer;
  private pos: number;

  constructor(initialSize = 256, reserve = 0) {
    this.buf = Buffer.allocUnsafe(Math.max(initialSize, reserve));
    // `reserve` leaves room at the front (used by the framing layer for the length word and header).
    this.pos = reserve;
  }

  /** Number of bytes written so far, reserved prefix included. */
  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int(v: number): this {
    if (!Number.isInteger(v) || v < INT_MIN || v > INT_MAX) throw new XdrError(`int out of range: ${v}`);
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > UINT_MAX) throw new XdrError(`unsigned int out of range: ${v}`);
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  bool(v: boolean): this {
    return this.int(v ? 1 : 0);
  }

  hyper(v: bigint | number): this {
    const b = BigInt(v);
    if (b < -(1n << 63n) || b >= 1n << 63n) throw new XdrError(`hyper out of range: ${b}`);
    this.ensure(8);
    this.buf.writeBigInt64BE(b, this.pos);
    this.pos += 8;
    return this;
  }

  uhyper(v: bigint | number): this {
    const b = BigInt(v);
    if (b < 0n || b >= 1n << 64n) throw new XdrError(`unsigned hyper out of range: ${b}`);
    this.ensure(8);
    this.buf.writeBigUInt64BE(b, this.pos);
    this.pos += 8;
    return this;
  }

  double(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** Fixed-length opaque: exactly `size` bytes, zero padded to a multiple of 4. */
  opaqueFixed(data: Uint8Array, size: number): this {
    if (data.length !== size) throw new XdrError(`fixed opaque needs ${size} bytes, got ${data.length}`);
    this.raw(data);
    return this;
  }

  /** Variable-length opaque: length word, bytes, padding. */
  opaque(data: Uint8Array, max = UINT_MAX): this {
    if (data.length > max) throw new XdrError(`opaque of ${data.length} bytes exceeds ${max}`);
    this.uint(data.length);
    this.raw(data);
    return this;
  }

  string(s: string, max = XDR_STRING_MAX): this {
    const len = Buffer.byteLength(s, 'utf8');
    if (len > max) throw new XdrError(`string of ${len} bytes exceeds ${max}`);
    this.uint(len);
    this.ensure(len + 3);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += len;
    this.zeros(pad4(len));
    return this;
  }

  /** Optional pointer: a presence word, then the value if present. */
  optional<T>(v: T | null | undefined, enc: (w: this, v: T) => void): this {
    if (v === null || v === undefined) return this.uint(0);
    this.uint(1);
    enc(this, v);
    return this;
  }

  /** Variable-length array: count word then each element. */
  array<T>(items: readonly T[], enc: (w: this, v: T) => void, max = UINT_MAX): this {
    if (items.length > max) throw new XdrError(`array of ${items.length} exceeds ${max}`);
    this.uint(items.length);
    for (const it of items) enc(this, it);
    return this;
  }

  private raw(data: Uint8Array): void {
    this.ensure(data.length + 3);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    this.zeros(pad4(data.length));
  }

  private zeros(n: number): void {
    for (let i = 0; i < n; i++) this.buf[this.pos++] = 0;
  }

  /** The bytes written, sharing memory with the writer. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Reads XDR values from a buffer; every read checks bounds and throws XdrError on bad input. */
export class XdrReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  /** Bytes not yet consumed. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n > this.end - this.pos)
      throw new XdrError(`truncated: need ${n} bytes, ${this.end - this.pos} left`);
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw new XdrError(`bad bool ${v}`);
    return v === 1;
  }

  hyper(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  uhyper(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Fixed-length opaque, copied out so it outlives the packet buffer. */
  opaqueFixed(size: number): Buffer {
    this.need(size + pad4(size));
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + size));
    this.pos += size + pad4(size);
    return out;
  }

  /** Variable-length opaque bounded by `max`; the length is checked against the bytes present before copying. */
  opaque(max = UINT_MAX): Buffer {
    const len = this.uint();
    if (len > max) throw new XdrError(`opaque of ${len} bytes exceeds ${max}`);
    return this.opaqueFixed(len);
  }

  string(max = XDR_STRING_MAX): string {
    const len = this.uint();
    if (len > max) throw new XdrError(`string of ${len} bytes exceeds ${max}`);
    this.need(len + pad4(len));
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len + pad4(len);
    return s;
  }

  optional<T>(dec: (r: this) => T): T | null {
    const flag = this.uint();
    if (flag === 0) return null;
    if (flag !== 1) throw new XdrError(`bad optional flag ${flag}`);
    return dec(this);
  }

  /**
   * Variable-length array bounded by `max`. Every XDR element takes at least 4 bytes, so a count
   * larger than remaining/4 is rejected before anything is allocated.
   */
  array<T>(dec: (r: this) => T, max = UINT_MAX): T[] {
    const n = this.uint();
    if (n > max) throw new XdrError(`array of ${n} exceeds ${max}`);
    if (n > this.remaining / 4) throw new XdrError(`array count ${n} exceeds the bytes present`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(dec(this));
    return out;
  }

  /** Fails unless the whole input was consumed (trailing garbage means a layout mismatch). */
  done(): void {
    if (this.pos !== this.end) throw new XdrError(`${this.end - this.pos} trailing bytes`);
  }
}

/** A value of libvirt's typed-parameter union, tagged as on the wire. */
export type TypedParamValue =
  | { type: 'int'; value: number }
  | { type: 'uint'; value: number }
  | { type: 'llong'; value: bigint }
  | { type: 'ullong'; value: bigint }
  | { type: 'double'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'string'; value: string };

/** A named typed parameter (`remote_typed_param`). */
export interface TypedParam {
  field: string;
  value: TypedParamValue;
}

/** Encodes a typed parameter: field name, then the discriminated union. */
export function writeTypedParam(w: XdrWriter, p: TypedParam): void {
  w.string(p.field, 80);
  const v = p.value;
  switch (v.type) {
    case 'int':
      w.int(1).int(v.value);
      break;
    case 'uint':
      w.int(2).uint(v.value);
      break;
    case 'llong':
      w.int(3).hyper(v.value);
      break;
    case 'ullong':
      w.int(4).uhyper(v.value);
      break;
    case 'double':
      w.int(5).double(v.value);
      break;
    case 'boolean':
      w.int(6).int(v.value ? 1 : 0);
      break;
    case 'string':
      w.int(7).string(v.value);
      break;
  }
}

/** Decodes a typed parameter; an unknown discriminant is an XdrError. */
export function readTypedParam(r: XdrReader): TypedParam {
  const field = r.string(80);
  const tag = r.int();
  switch (tag) {
    case 1:
      return { field, value: { type: 'int', value: r.int() } };
    case 2:
      return { field, value: { type: 'uint', value: r.uint() } };
    case 3:
      return { field, value: { type: 'llong', value: r.hyper() } };
    case 4:
      return { field, value: { type: 'ullong', value: r.uhyper() } };
    case 5:
      return { field, value: { type: 'double', value: r.double() } };
    case 6:
      return { field, value: { type: 'boolean', value: r.int() !== 0 } };
    case 7:
      return { field, value: { type: 'string', value: r.string() } };
    default:
      throw new XdrError(`unknown typed param type ${tag}`);
  }
}
