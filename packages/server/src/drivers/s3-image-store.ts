// The `s3` image store: objects in one bucket of any S3-compatible server (Ceph's RGW here), for
// control planes of several kumods. A put streams a multipart upload under a temporary key while
// hashing (memory bounded by the parts in flight), then copies it server-side under `sha256/<hash>` and drops
// the temporary one, so no key ever names bytes that were not verified. A crash leaves only a
// temporary object or an unfinished upload, which the bucket's lifecycle rule expires.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { ImageStoreConfig } from '../config-images.js';
import { checkExpectation, Hasher, verifying } from './image-store-hash.js';
import { multipartUpload, s3ClientFor } from './s3-multipart.js';
import {
  ImageStoreError,
  SHA256_KEY,
  type ImageStore,
  type PutExpectation,
  type StoredObject,
} from './image-store.js';

type S3Settings = NonNullable<ImageStoreConfig['s3']>;

const TMP = 'tmp/';
// S3 allows CopyObject up to 5 GiB; larger objects are copied part by part.
const MAX_SINGLE_COPY = 5 * 2 ** 30;
const COPY_PART = 2 ** 30;

const isMissing = (err: unknown) =>
  err instanceof S3ServiceException &&
  (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');

/** Image objects in an S3 bucket. */
export class S3ImageStore implements ImageStore {
  readonly kind = 's3';
  private readonly s3: S3Client;
  private ready: Promise<void> | undefined;

  constructor(private readonly c: S3Settings) {
    this.s3 = s3ClientFor(c);
  }

  private key(sha256: string): string {
    return `sha256/${sha256}`;
  }

  // The bucket exists and expires what crashed puts leave, once per process (retried after a failure).
  private bucket(): Promise<void> {
    this.ready ??= (async () => {
      const Bucket = this.c.bucket;
      try {
        await this.s3.send(new HeadBucketCommand({ Bucket }));
      } catch (err) {
        if (!isMissing(err)) throw err;
        await this.s3.send(new CreateBucketCommand({ Bucket })).catch((e: unknown) => {
          // Another kumod made it first.
          if (!(e instanceof S3ServiceException && /BucketAlready/.test(e.name))) throw e;
        });
      }
      await this.s3
        .send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket,
            LifecycleConfiguration: {
              Rules: [
                {
                  ID: 'kumo-abandoned-puts',
                  Status: 'Enabled',
                  Filter: { Prefix: TMP },
                  Expiration: { Days: 1 },
                  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
                },
              ],
            },
          }),
        )
        // Best effort: a server without lifecycle support keeps leftovers, never wrong data.
        .catch(() => undefined);
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw new ImageStoreError('UNAVAILABLE', `S3 bucket ${this.c.bucket}: ${(err as Error).message}`);
    });
    return this.ready;
  }

  async put(data: Readable, expect?: PutExpectation): Promise<StoredObject> {
    await this.bucket();
    const Bucket = this.c.bucket;
    const tmp = `${TMP}${Date.now()}-${randomBytes(8).toString('hex')}`;
    const hasher = new Hasher(expect?.onProgress);
    pipeline(data, hasher, () => undefined);
    let got: StoredObject | undefined;
    try {
      await multipartUpload(
        { s3: this.s3, bucket: Bucket, key: tmp, partBytes: this.c.partBytes },
        hasher,
        () => {
          got = hasher.result();
          checkExpectation(got, expect);
        },
      );
      try {
        if ((await this.stat(got!.sha256)) !== got!.bytes)
          await this.copy(tmp, this.key(got!.sha256), got!.bytes);
      } finally {
        await this.s3.send(new DeleteObjectCommand({ Bucket, Key: tmp })).catch(() => undefined);
      }
      return got!;
    } catch (err) {
      data.destroy();
      throw err;
    }
  }

  // A server-side copy: one request up to 5 GiB, part by part beyond.
  private async copy(from: string, to: string, bytes: number): Promise<void> {
    const Bucket = this.c.bucket;
    const CopySource = `${Bucket}/${from}`;
    if (bytes <= MAX_SINGLE_COPY) {
      await this.s3.send(new CopyObjectCommand({ Bucket, Key: to, CopySource }));
      return;
    }
    const { UploadId } = await this.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: to }));
    try {
      const Parts: { ETag: string; PartNumber: number }[] = [];
      for (let off = 0, PartNumber = 1; off < bytes; off += COPY_PART, PartNumber++) {
        const end = Math.min(bytes, off + COPY_PART) - 1;
        const r = await this.s3.send(
          new UploadPartCopyCommand({
            Bucket,
            Key: to,
            UploadId,
            PartNumber,
            CopySource,
            CopySourceRange: `bytes=${off}-${end}`,
          }),
        );
        Parts.push({ ETag: r.CopyPartResult!.ETag!, PartNumber });
      }
      await this.s3.send(
        new CompleteMultipartUploadCommand({ Bucket, Key: to, UploadId, MultipartUpload: { Parts } }),
      );
    } catch (err) {
      await this.s3
        .send(new AbortMultipartUploadCommand({ Bucket, Key: to, UploadId }))
        .catch(() => undefined);
      throw err;
    }
  }

  async stat(sha256: string): Promise<number | undefined> {
    if (!SHA256_KEY.test(sha256)) return undefined;
    await this.bucket();
    try {
      const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.c.bucket, Key: this.key(sha256) }));
      return r.ContentLength;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async open(sha256: string): Promise<Readable> {
    if (!SHA256_KEY.test(sha256)) throw new ImageStoreError('NOT_FOUND', 'not an object key');
    await this.bucket();
    let body: Readable;
    let size: number | undefined;
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.c.bucket, Key: this.key(sha256) }));
      body = r.Body as Readable;
      size = r.ContentLength;
    } catch (err) {
      if (isMissing(err)) throw new ImageStoreError('NOT_FOUND', `no object ${sha256}`);
      throw err;
    }
    const check = verifying(sha256, size);
    pipeline(body, check, () => undefined);
    return check;
  }

  async remove(sha256: string): Promise<void> {
    if (!SHA256_KEY.test(sha256)) return;
    await this.bucket();
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.c.bucket, Key: this.key(sha256) }));
  }

  async close(): Promise<void> {
    this.s3.destroy();
  }
}
