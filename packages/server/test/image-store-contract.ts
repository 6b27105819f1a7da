// What every ImageStore must do, as one suite each store's test file runs against a real store:
// content addressing, puts held to their expectations leaving nothing behind, reads that fail on
// corrupt bytes, idempotent puts and removals, and concurrent puts of the same bytes.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { expect, jest, test } from '@jest/globals';
import { isImageStoreError, type ImageStore } from '../src/drivers/image-store.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Streams `total` bytes of `data` repeated, in 1 MiB chunks, without holding them all. */
function repeat(data: Buffer, total: number): Readable {
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, data.length);
      left -= n;
      this.push(data.subarray(0, n));
    },
  });
}

/** The suite. `corrupt(sha256)` overwrites the stored bytes of an object behind the store's back. */
export function imageStoreContract(
  store: () => ImageStore,
  corrupt: (sha256: string, bytes: Buffer) => Promise<void>,
): void {
  // A remote store's first request also creates its bucket.
  jest.setTimeout(60_000);
  test('a put is keyed by the sha256 of its bytes and reads back verified', async () => {
    const data = randomBytes(3 * 2 ** 20 + 17);
    const progress: number[] = [];
    const got = await store().put(Readable.from([data]), { onProgress: (n) => progress.push(n) });
    expect(got).toEqual({ sha256: sha(data), bytes: data.length });
    expect(await store().stat(got.sha256)).toBe(data.length);
    expect((await buffer(await store().open(got.sha256))).equals(data)).toBe(true);
    // The same bytes again store nothing new and answer the same.
    expect(await store().put(Readable.from([data]))).toEqual(got);
  });

  test('a put that does not meet its expectation leaves nothing under either key', async () => {
    const data = randomBytes(4096);
    const wrong = 'f'.repeat(64);
    const e1 = await store()
      .put(Readable.from([data]), { sha256: wrong })
      .catch((e: unknown) => e);
    expect(isImageStoreError(e1, 'CHECKSUM_MISMATCH')).toBe(true);
    const e2 = await store()
      .put(Readable.from([data]), { bytes: 4095 })
      .catch((e: unknown) => e);
    expect(isImageStoreError(e2, 'SIZE_MISMATCH')).toBe(true);
    expect(await store().stat(sha(data))).toBeUndefined();
    expect(await store().stat(wrong)).toBeUndefined();
  });

  test('a source that fails half-way stores nothing', async () => {
    const first = randomBytes(2 ** 20);
    let sent = false;
    const failing = new Readable({
      read() {
        if (!sent) {
          sent = true;
          this.push(first);
        } else this.destroy(new Error('source went away'));
      },
    });
    await expect(store().put(failing)).rejects.toThrow('source went away');
    expect(await store().stat(sha(first))).toBeUndefined();
  });

  test('bytes changed behind the store fail the read at its end; unknown keys are NOT_FOUND', async () => {
    const data = randomBytes(2 ** 20);
    const { sha256 } = await store().put(Readable.from([data]));
    const bad = Buffer.from(data);
    bad[12345] = bad[12345]! ^ 0xff;
    await corrupt(sha256, bad);
    const err = await store()
      .open(sha256)
      .then((s) => buffer(s))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isImageStoreError(err, 'CHECKSUM_MISMATCH')).toBe(true);
    const missing = await store()
      .open('0'.repeat(64))
      .catch((e: unknown) => e);
    expect(isImageStoreError(missing, 'NOT_FOUND')).toBe(true);
    await store().remove(sha256);
    expect(await store().stat(sha256)).toBeUndefined();
    await store().remove(sha256); // absent: fine
  });

  test('concurrent puts of the same large object both succeed with one object', async () => {
    const block = randomBytes(2 ** 20);
    const total = 40 * 2 ** 20 + 5;
    const [a, b] = await Promise.all([store().put(repeat(block, total)), store().put(repeat(block, total))]);
    expect(a).toEqual(b);
    expect(a.bytes).toBe(total);
    expect(await store().stat(a.sha256)).toBe(total);
    const h = createHash('sha256');
    for await (const c of await store().open(a.sha256)) h.update(c as Buffer);
    expect(h.digest('hex')).toBe(a.sha256);
  }, 120_000);
}
