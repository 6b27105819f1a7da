// The `local` image store: content-addressed files in one directory of kumod's data dir (the
// embedded default for a single control plane). A put streams into a temporary file while
// hashing, syncs it and renames it under its hash, so a crash never leaves a partial object under
// a key; temporary files a crash left behind are removed when the store opens.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipe, type Readable } from 'node:stream';
import { checkExpectation, Hasher, verifying } from './image-store-hash.js';
import {
  ImageStoreError,
  SHA256_KEY,
  type ImageStore,
  type PutExpectation,
  type StoredObject,
} from './image-store.js';

// A temporary file untouched this long belongs to a put that died (a live put writes all the time).
const STALE_TMP_MS = 10 * 60 * 1000;

/** Image objects as files under `root`: objects/<2 hex>/<sha256>, tmp/ for puts in flight. */
export class LocalImageStore implements ImageStore {
  readonly kind = 'local';

  private constructor(private readonly root: string) {}

  /** Opens (creating) the store at `root` and clears the leftovers of interrupted puts. */
  static open(root: string): LocalImageStore {
    mkdirSync(join(root, 'objects'), { recursive: true, mode: 0o700 });
    mkdirSync(join(root, 'tmp'), { recursive: true, mode: 0o700 });
    const now = Date.now();
    for (const f of readdirSync(join(root, 'tmp'))) {
      const p = join(root, 'tmp', f);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st && now - st.mtimeMs > STALE_TMP_MS) rmSync(p, { force: true });
    }
    return new LocalImageStore(root);
  }

  private path(sha256: string): string {
    if (!SHA256_KEY.test(sha256)) throw new ImageStoreError('NOT_FOUND', 'not an object key');
    return join(this.root, 'objects', sha256.slice(0, 2), sha256);
  }

  async put(data: Readable, expect?: PutExpectation): Promise<StoredObject> {
    const tmp = join(this.root, 'tmp', `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hasher = new Hasher(expect?.onProgress);
    const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(data, hasher, out);
      const got = hasher.result();
      checkExpectation(got, expect);
      // Durable before it is visible: the rename below is what makes the object exist.
      const fh = await open(tmp, 'r');
      await fh.sync().finally(() => fh.close());
      const final = this.path(got.sha256);
      await mkdir(join(final, '..'), { recursive: true, mode: 0o700 });
      if ((await this.stat(got.sha256)) === got.bytes) await unlink(tmp);
      else await rename(tmp, final);
      const dir = await open(join(final, '..'), 'r');
      await dir.sync().finally(() => dir.close());
      return got;
    } finally {
      // A source that fails early destroys the file stream while its open may still be under way:
      // the file would be created after the rm below and outlive it. Wait for the stream to close.
      if (!out.closed) await once(out, 'close').catch(() => undefined);
      await rm(tmp, { force: true });
    }
  }

  async stat(sha256: string): Promise<number | undefined> {
    if (!SHA256_KEY.test(sha256)) return undefined;
    const st = await stat(this.path(sha256)).catch(() => undefined);
    return st?.isFile() ? st.size : undefined;
  }

  async open(sha256: string): Promise<Readable> {
    const size = await this.stat(sha256);
    if (size === undefined) throw new ImageStoreError('NOT_FOUND', `no object ${sha256.slice(0, 64)}`);
    const check = verifying(sha256, size);
    // pipeline carries a read error of the file into the stream the caller holds.
    pipe(createReadStream(this.path(sha256)), check, () => undefined);
    return check;
  }

  async remove(sha256: string): Promise<void> {
    if (!SHA256_KEY.test(sha256)) return;
    await rm(this.path(sha256), { force: true });
  }

  async close(): Promise<void> {}
}
