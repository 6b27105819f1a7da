// The console proxy's pure parts: which browser messages count as user input for the idle timer,
// and the guest-to-browser rate cap.
import { describe, expect, test } from '@jest/globals';
import { Readable, Writable, pipeline } from 'node:stream';
import { isUserInput, rateLimit } from './proxy.js';

describe('isUserInput', () => {
  test('key and pointer events count; update requests and encodings do not', () => {
    expect(isUserInput(Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]))).toBe(true); // KeyEvent
    expect(isUserInput(Buffer.from([5, 0, 0, 10, 0, 20]))).toBe(true); // PointerEvent
    expect(isUserInput(Buffer.from([3, 1, 0, 0, 0, 0, 4, 0, 3, 0]))).toBe(false); // FramebufferUpdateRequest
    expect(isUserInput(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]))).toBe(false); // SetEncodings
  });
});

describe('rateLimit', () => {
  test('holds a stream to its byte rate after one second of burst', async () => {
    const rate = 256 * 1024;
    const chunks = Array.from({ length: 24 }, () => Buffer.alloc(32 * 1024));
    let seen = 0;
    const started = Date.now();
    await new Promise<void>((resolve, reject) =>
      pipeline(
        Readable.from(chunks),
        rateLimit(rate),
        new Writable({
          write(c: Buffer, _e, cb) {
            seen += c.length;
            cb();
          },
        }),
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    // 768 KiB at 256 KiB/s with a 256 KiB burst: about two seconds, never much less.
    expect(seen).toBe(24 * 32 * 1024);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1800);
  });
});
