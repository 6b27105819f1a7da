// An in-memory ImageStore for unit tests of server logic: content-addressed buffers, the same
// expectations and read verification as the real stores. Never used by kumod.
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import { checkExpectation } from '../drivers/image-store-hash.js';
import {
  ImageStoreError,
  type ImageStore,
  type PutExpectation,
  type StoredObject,
} from '../drivers/image-store.js';

/** Objects kept in a Map; `objects` is public so tests can look and corrupt. */
export class MemoryImageStore implements ImageStore {
  readonly kind = 'memory';
  readonly objects = new Map<string, Buffer>();

  async put(data: Readable, expect?: PutExpectation): Promise<StoredObject> {
    const b = await buffer(data);
    const got = { sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length };
    checkExpectation(got, expect);
    this.objects.set(got.sha256, b);
    return got;
  }

  async stat(sha256: string): Promise<number | undefined> {
    return this.objects.get(sha256)?.length;
  }

  async open(sha256: string): Promise<Readable> {
    const b = this.objects.get(sha256);
    if (!b) throw new ImageStoreError('NOT_FOUND', `no object ${sha256}`);
    if (createHash('sha256').update(b).digest('hex') !== sha256)
      throw new ImageStoreError('CHECKSUM_MISMATCH', `object ${sha256} is corrupt`);
    return Readable.from([b]);
  }

  async remove(sha256: string): Promise<void> {
    this.objects.delete(sha256);
  }

  async close(): Promise<void> {}
}
