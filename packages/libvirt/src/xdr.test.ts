// Unit tests of the XDR codec: round trips, exact encodings, and hostile input that must only ever raise XdrError.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { XdrError, XdrReader, XdrWriter, readTypedParam, writeTypedParam, type TypedParam } from './xdr.js';
import { readRemoteError, LibvirtError } from './errors.js';
import { readDomain, writeDomain, readVol } from './types.js';

const hex = (b: Buffer) => b.toString('hex');

describe('XdrWriter encodings', () => {
  it('encodes scalars big-endian in 4/8-byte units', () => {
    const w = new XdrWriter()
      .int(-1)
      .uint(0xdeadbeef)
      .bool(true)
      .hyper(-2n)
      .uhyper(2n ** 64n - 1n);
    expect(hex(w.finish())).toBe(
      'ffffffff' + 'deadbeef' + '00000001' + 'fffffffffffffffe' + 'ffffffffffffffff',
    );
  });

  it('pads strings and opaque data to 4 bytes without a NUL', () => {
    const w = new XdrWriter().string('qemu:///system').opaque(Buffer.from([1, 2, 3, 4, 5]));
    expect(hex(w.finish())).toBe(
      '0000000e' + '71656d753a2f2f2f73797374656d' + '0000' + '00000005' + '0102030405000000',
    );
  });

  it('encodes optional values and arrays', () => {
    const w = new XdrWriter()
      .optional<string>(null, (x, v) => x.string(v))
      .optional('a', (x, v) => x.string(v));
    w.array([7, 8], (x, v) => x.int(v));
    expect(hex(w.finish())).toBe(
      '00000000' + '00000001' + '00000001' + '61000000' + '00000002' + '00000007' + '00000008',
    );
  });

  it('rejects values that do not fit', () => {
    expect(() => new XdrWriter().int(2 ** 31)).toThrow(XdrError);
    expect(() => new XdrWriter().uint(-1)).toThrow(XdrError);
    expect(() => new XdrWriter().uhyper(-1n)).toThrow(XdrError);
    expect(() => new XdrWriter().string('abc', 2)).toThrow(XdrError);
    expect(() => new XdrWriter().opaqueFixed(Buffer.alloc(3), 16)).toThrow(XdrError);
  });

  it('grows past its initial size', () => {
    const w = new XdrWriter(4);
    const big = 'x'.repeat(10_000);
    w.string(big);
    expect(new XdrReader(w.finish()).string()).toBe(big);
  });
});

describe('XdrReader round trips (property)', () => {
  it('round-trips mixed values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.string({ unit: 'grapheme', maxLength: 50 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.option(fc.string({ maxLength: 10 })),
        fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 20 }),
        fc.double({ noNaN: true }),
        (i, u, h, uh, s, o, opt, arr, d) => {
          const w = new XdrWriter()
            .int(i)
            .uint(u)
            .hyper(h)
            .uhyper(uh)
            .string(s)
            .opaque(o)
            .optional(opt, (x, v) => x.string(v))
            .array(arr, (x, v) => x.int(v))
            .double(d);
          const buf = w.finish();
          expect(buf.length % 4).toBe(0);
          const r = new XdrReader(buf);
          expect(r.int()).toBe(i);
          expect(r.uint()).toBe(u);
          expect(r.hyper()).toBe(h);
          expect(r.uhyper()).toBe(uh);
          expect(r.string()).toBe(s);
          expect(Buffer.compare(r.opaque(), Buffer.from(o))).toBe(0);
          expect(r.optional((x) => x.string())).toBe(opt);
          expect(r.array((x) => x.int())).toEqual(arr);
          expect(r.double()).toBe(d);
          r.done();
        },
      ),
    );
  });

  it('round-trips typed parameters (discriminated union)', () => {
    const value = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => ({ type: 'int' as const, value: v })),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((v) => ({ type: 'uint' as const, value: v })),
      fc
        .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
        .map((v) => ({ type: 'llong' as const, value: v })),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ type: 'ullong' as const, value: v })),
      fc.double({ noNaN: true }).map((v) => ({ type: 'double' as const, value: v })),
      fc.boolean().map((v) => ({ type: 'boolean' as const, value: v })),
      fc.string().map((v) => ({ type: 'string' as const, value: v })),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), value, (field, v) => {
        const p: TypedParam = { field, value: v };
        const w = new XdrWriter();
        writeTypedParam(w, p);
        const r = new XdrReader(w.finish());
        expect(readTypedParam(r)).toEqual(p);
        r.done();
      }),
    );
  });

  it('round-trips domain handles with UUIDs', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.uuid(),
        fc.integer({ min: -1, max: 1000 }),
        (name, uuid, id) => {
          const w = new XdrWriter();
          writeDomain(w, { name, uuid, id });
          expect(readDomain(new XdrReader(w.finish()))).toEqual({ name, uuid: uuid.toLowerCase(), id });
        },
      ),
    );
  });
});

describe('hostile input', () => {
  const decoders: Array<[string, (r: XdrReader) => unknown]> = [
    ['string', (r) => r.string()],
    ['opaque', (r) => r.opaque()],
    ['array of strings', (r) => r.array((x) => x.string())],
    ['optional', (r) => r.optional((x) => x.hyper())],
    ['typed param', (r) => readTypedParam(r)],
    ['remote_error', (r) => readRemoteError(r)],
    ['domain', (r) => readDomain(r)],
    ['volume', (r) => readVol(r)],
    ['bool', (r) => r.bool()],
    ['nested arrays', (r) => r.array((x) => x.array((y) => y.opaque(64), 100), 100)],
  ];

  it.each(decoders)('%s: random bytes decode or raise XdrError, nothing else', (_n, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decode(new XdrReader(Buffer.from(bytes)));
        } catch (e) {
          expect(e).toBeInstanceOf(XdrError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('truncating a valid encoding anywhere raises XdrError', () => {
    const w = new XdrWriter()
      .string('hello')
      .array(['a', 'bb', 'ccc'], (x, v) => x.string(v))
      .uhyper(5n);
    const full = w.finish();
    for (let cut = 0; cut < full.length; cut++) {
      const r = new XdrReader(full.subarray(0, cut));
      expect(() => {
        r.string();
        r.array((x) => x.string());
        r.uhyper();
      }).toThrow(XdrError);
    }
  });

  it('refuses huge lengths and counts before allocating', () => {
    const huge = Buffer.from('fffffff0', 'hex');
    expect(() => new XdrReader(huge).string()).toThrow(XdrError);
    expect(() => new XdrReader(huge).opaque()).toThrow(XdrError);
    expect(() => new XdrReader(huge).array((x) => x.int())).toThrow(/exceeds the bytes present/);
    const bounded = new XdrWriter().array([1, 2, 3], (x, v) => x.int(v)).finish();
    expect(() => new XdrReader(bounded).array((x) => x.int(), 2)).toThrow(XdrError);
  });

  it('rejects trailing bytes with done()', () => {
    const r = new XdrReader(Buffer.alloc(8));
    r.int();
    expect(() => r.done()).toThrow(XdrError);
  });

  it('decodes a captured remote_error into a LibvirtError', () => {
    const w = new XdrWriter().int(42).int(10);
    w.optional("Domain not found: no domain with matching name 'x'", (x, v) => x.string(v));
    w.int(2).uint(0).uint(0).uint(0).uint(0).int(0).int(0).uint(0);
    const e = readRemoteError(new XdrReader(w.finish()), 23);
    expect(e).toBeInstanceOf(LibvirtError);
    expect(e).toMatchObject({ code: 42, domain: 10, level: 2, procedure: 23 });
  });
});
