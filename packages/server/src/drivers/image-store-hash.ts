// Hashing pass-throughs shared by the image stores: one that counts and hashes what a put streams,
// one that re-hashes what a read returns and fails the stream at its end when the bytes differ.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ImageStoreError, type PutExpectation, type StoredObject } from './image-store.js';

/** A pass-through that hashes and counts; `result()` is valid once the stream has ended. */
export class Hasher extends Transform {
  private readonly h = createHash('sha256');
  private n = 0;
  private lastReport = 0;

  constructor(private readonly onProgress?: (bytes: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.h.update(chunk);
    this.n += chunk.length;
    // Progress at most every 16 MiB: it is for pollers, not for accounting.
    if (this.onProgress && this.n - this.lastReport >= 16 * 2 ** 20) {
      this.lastReport = this.n;
      this.onProgress(this.n);
    }
    cb(null, chunk);
  }

  /** The hash and size of everything that passed. */
  result(): StoredObject {
    return { sha256: this.h.copy().digest('hex'), bytes: this.n };
  }
}

/** Throws the put's refusal when `got` does not meet `expect`. */
export function checkExpectation(got: StoredObject, expect: PutExpectation | undefined): void {
  if (expect?.bytes !== undefined && got.bytes !== expect.bytes)
    throw new ImageStoreError('SIZE_MISMATCH', `got ${got.bytes} bytes, expected ${expect.bytes}`);
  if (expect?.sha256 !== undefined && got.sha256 !== expect.sha256)
    throw new ImageStoreError('CHECKSUM_MISMATCH', `got sha256 ${got.sha256}, expected ${expect.sha256}`);
}

/** A pass-through that fails at its end unless what passed hashes to `sha256` (and has `bytes`). */
export function verifying(sha256: string, bytes?: number): Transform {
  const h = createHash('sha256');
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      n += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      const sum = h.digest('hex');
      if (bytes !== undefined && n !== bytes)
        cb(new ImageStoreError('SIZE_MISMATCH', `object ${sha256} has ${n} bytes, expected ${bytes}`));
      else if (sum !== sha256)
        cb(new ImageStoreError('CHECKSUM_MISMATCH', `object ${sha256} reads back as sha256 ${sum}`));
      else cb();
    },
  });
}
