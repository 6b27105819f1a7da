// The image exchange: the S3 bucket users hand images in and take them out through (importImage
// from an `s3://` URL, exportImage). It is not the image store: its objects are named by their
// users, not by hash, and nothing boots from it. Each account owns the keys under `<its name>/`;
// kumod reads and writes there with the operator's credentials, so an account reaches exactly its
// own prefix (checked here, before any request leaves). Uploads are multipart: an object appears
// only whole, and a crash mid-upload leaves an unfinished upload, never a partial object.
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { ImageStoreConfig } from '../config-images.js';
import { multipartUpload, s3ClientFor } from './s3-multipart.js';

type S3Settings = NonNullable<ImageStoreConfig['exchange']>;

/** What the user asked that the exchange cannot do; the message is safe to show them. */
export class ExchangeRefused extends Error {
  override readonly name = 'ExchangeRefused';
}

// S3's safe key characters, in '/'-separated segments of which none is empty, '.' or '..'.
const KEY = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const DOT_SEGMENT = /(^|\/)\.{1,2}(\/|$)/;

/** Whether `key` is an object key the exchange accepts (≤ 1,024 bytes, safe characters). */
export function isExchangeKey(key: string): boolean {
  return key.length <= 1024 && KEY.test(key) && !DOT_SEGMENT.test(key);
}

/** One exchange bucket. */
export class S3ImageExchange {
  private readonly s3: S3Client;

  constructor(private readonly c: S3Settings) {
    this.s3 = s3ClientFor(c);
  }

  get bucket(): string {
    return this.c.bucket;
  }

  /** The URL users see for a key. */
  url(key: string): string {
    return `s3://${this.c.bucket}/${key}`;
  }

  /** The key an `s3://bucket/key` URL names in this bucket; throws ExchangeRefused saying why not. */
  keyOf(url: string): string {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(url);
    if (!m) throw new ExchangeRefused('must be s3://<bucket>/<key>');
    if (m[1] !== this.c.bucket) throw new ExchangeRefused(`the image exchange bucket is ${this.c.bucket}`);
    if (!isExchangeKey(m[2]!)) throw new ExchangeRefused('is not a valid object key');
    return m[2]!;
  }

  /** `key` when it is a valid key under `owner`'s prefix; throws ExchangeRefused otherwise. */
  ownKey(key: string, owner: string): string {
    if (!isExchangeKey(key)) throw new ExchangeRefused('is not a valid object key');
    if (!key.startsWith(`${owner}/`)) throw new ExchangeRefused(`must be under ${owner}/ in the bucket`);
    return key;
  }

  /** The object's bytes and size; ExchangeRefused when there is none. */
  async open(key: string, signal?: AbortSignal): Promise<{ body: Readable; declaredBytes?: number }> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.c.bucket, Key: key }), {
        abortSignal: signal,
      });
      return { body: r.Body as Readable, declaredBytes: r.ContentLength };
    } catch (err) {
      if (
        err instanceof S3ServiceException &&
        (err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404)
      )
        throw new ExchangeRefused(`there is no object ${this.url(key)}`);
      throw err;
    }
  }

  /** Uploads `data` to `key` (replacing what is there); returns the bytes written. */
  upload(key: string, data: Readable): Promise<number> {
    return multipartUpload({ s3: this.s3, bucket: this.c.bucket, key, partBytes: this.c.partBytes }, data);
  }

  async close(): Promise<void> {
    this.s3.destroy();
  }
}
