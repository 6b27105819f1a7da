// Unit tests of packet framing: exact header bytes, reassembly across arbitrary chunking, and hostile length words.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  FrameDecoder,
  HEADER_SIZE,
  decodeFrame,
  encodeFrame,
  finishFrame,
  frameWriter,
  type PacketHeader,
} from './framing.js';
import { XdrError } from './xdr.js';

const hdr = (serial: number, status = 0): PacketHeader => ({
  prog: 0x20008086,
  vers: 1,
  proc: 66,
  type: 0,
  serial,
  status,
});

describe('frame encoding', () => {
  it('matches the AUTH_LIST call captured from libvirtd', () => {
    expect(encodeFrame(hdr(0)).toString('hex')).toBe(
      '0000001c200080860000000100000042000000000000000000000000',
    );
  });

  it('writes CONNECT_OPEN exactly as captured', () => {
    const w = frameWriter();
    w.optional('qemu:///system', (x, v) => x.string(v)).uint(0);
    const f = finishFrame(w, { prog: 0x20008086, vers: 1, proc: 1, type: 0, serial: 2, status: 0 });
    expect(f.toString('hex')).toBe(
      '00000038200080860000000100000001000000000000000200000000' +
        '000000010000000e71656d753a2f2f2f73797374656d000000000000',
    );
  });

  it('round-trips header and payload', () => {
    const f = encodeFrame(hdr(7, 2), Buffer.from('abc'));
    const p = decodeFrame(f);
    expect(p.header).toEqual(hdr(7, 2));
    expect(p.payload.toString()).toBe('abc');
  });
});

describe('FrameDecoder', () => {
  it('reassembles any chunking of a packet sequence (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 50 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p, i) => encodeFrame(hdr(i + 1), p)));
          const d = new FrameDecoder();
          const got: Buffer[] = [];
          let off = 0;
          let k = 0;
          while (off < stream.length) {
            const n = cuts[k++ % cuts.length]!;
            for (const p of d.push(stream.subarray(off, off + n))) got.push(Buffer.from(p.payload));
            off += n;
          }
          expect(got.map((b) => b.toString('hex'))).toEqual(
            payloads.map((p) => Buffer.from(p).toString('hex')),
          );
          expect(d.pendingBytes).toBe(0);
        },
      ),
    );
  });

  it('rejects lengths below the header size or above the limit', () => {
    const small = Buffer.alloc(8);
    small.writeUInt32BE(HEADER_SIZE - 1, 0);
    expect(() => new FrameDecoder().push(small)).toThrow(XdrError);
    const big = Buffer.alloc(4);
    big.writeUInt32BE(0xffffffff, 0);
    expect(() => new FrameDecoder().push(big)).toThrow(XdrError);
    const d = new FrameDecoder(1000);
    const over = Buffer.alloc(4);
    over.writeUInt32BE(1001, 0);
    expect(() => d.push(over)).toThrow(/exceeds/);
  });

  it('never throws anything but XdrError and never buffers more than one frame (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const d = new FrameDecoder(4096);
        try {
          for (const c of chunks) {
            d.push(Buffer.from(c));
            expect(d.pendingBytes).toBeLessThan(4096);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(XdrError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('waits for a length word split across chunks', () => {
    const f = encodeFrame(hdr(9), Buffer.from('xyz1'));
    const d = new FrameDecoder();
    expect(d.push(f.subarray(0, 2))).toHaveLength(0);
    expect(d.push(f.subarray(2, 3))).toHaveLength(0);
    const out = d.push(f.subarray(3));
    expect(out).toHaveLength(1);
    expect(out[0]!.header.serial).toBe(9);
  });
});
