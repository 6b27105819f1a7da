// The S3 plumbing the image store and the image exchange share: one way to build a client for
// the configured endpoint, and a streamed multipart upload: parts of a
// fixed size, a few in flight (memory bounded by them), completed only when the whole stream has
// arrived and the caller's last check passed. An upload that fails is aborted; one cut by a crash
// stays an unfinished upload, which no reader ever sees as an object.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ImageStoreConfig } from '../config-images.js';

/** A client for the configured S3 endpoint (path-style: RGW and most S3 servers on premises). */
export function s3ClientFor(c: NonNullable<ImageStoreConfig['s3']>): S3Client {
  return new S3Client({
    endpoint: c.endpoint,
    region: c.region,
    forcePathStyle: true,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    // Checksums the server may not know (RGW before Squid): only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

// Parts uploading at once: enough to keep the server busy while the next part is read.
const PARTS_IN_FLIGHT = 4;

/** Where and how one upload goes. */
export interface MultipartTarget {
  s3: S3Client;
  bucket: string;
  key: string;
  partBytes: number;
}

/**
 * Uploads `source` to `key`; `beforeComplete` runs once every part is up and may throw to leave
 * nothing at the key. Returns the bytes uploaded.
 */
export async function multipartUpload(
  t: MultipartTarget,
  source: AsyncIterable<Buffer>,
  beforeComplete: () => void = () => undefined,
): Promise<number> {
  const { s3, bucket: Bucket, key: Key } = t;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const parts: { ETag: string; PartNumber: number }[] = [];
  const inFlight = new Set<Promise<void>>();
  let bytes = 0;
  try {
    let n = 0;
    for await (const part of chunks(source, t.partBytes)) {
      const PartNumber = ++n;
      bytes += part.length;
      const p = s3
        .send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: part }))
        .then((r) => void parts.push({ ETag: r.ETag!, PartNumber }));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      if (inFlight.size >= PARTS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (n === 0) {
      // S3 refuses a multipart upload without parts: an empty object is one empty part.
      const r = await s3.send(
        new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(0) }),
      );
      parts.push({ ETag: r.ETag!, PartNumber: 1 });
    }
    beforeComplete();
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
    );
    return bytes;
  } catch (err) {
    // Parts still in flight must not land after the abort.
    await Promise.allSettled(inFlight);
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    throw err;
  }
}

/**
 * Re-chunks a stream into buffers of exactly `size` bytes (the last one shorter), copying only
 * when a part spans several input chunks.
 */
export async function* chunks(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let have = 0;
  for await (const chunk of source) {
    let c = chunk;
    while (have + c.length >= size) {
      const take = size - have;
      pending.push(c.subarray(0, take));
      yield pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      have = 0;
      c = c.subarray(take);
    }
    if (c.length > 0) {
      pending.push(c);
      have += c.length;
    }
  }
  if (have > 0) yield Buffer.concat(pending);
}
