// Image store throughput (see run.sh): STORE_MB of random bytes put and read back (verified)
// through the local store against a plain file write and read, and — when CEPH_S3_* name an S3
// server — through the s3 store (multipart while hashing, server-side copy under its hash) against
// one raw @aws-sdk/client-s3 PutObject and GetObject of the same bytes. Best of ROUNDS.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ImageStore } from '../../packages/server/src/drivers/image-store.js';
import { LocalImageStore } from '../../packages/server/src/drivers/local-image-store.js';
import { S3ImageStore } from '../../packages/server/src/drivers/s3-image-store.js';

const mb = Number(process.env.STORE_MB ?? 256);
const rounds = Number(process.env.ROUNDS ?? 3);
const data = randomBytes(mb * 2 ** 20);
const now = () => performance.now();
const rate = (ms: number) => `${((mb / ms) * 1000).toFixed(0)} MiB/s`;
const best = async (f: () => Promise<void>) => {
  let b = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t = now();
    await f();
    b = Math.min(b, now() - t);
  }
  return b;
};
const drain = async (r: AsyncIterable<unknown>) => {
  for await (const _ of r) void _;
};

async function storeRun(store: ImageStore): Promise<[number, number]> {
  let sha = '';
  const put = await best(async () => {
    const got = await store.put(Readable.from([data]));
    sha = got.sha256;
  });
  const get = await best(async () => drain(await store.open(sha)));
  await store.remove(sha);
  return [put, get];
}

const work = mkdtempSync(join(tmpdir(), 'kimg-store-bench-'));
try {
  const [lp, lg] = await storeRun(LocalImageStore.open(join(work, 'store')));
  const fp = await best(async () => writeFileSync(join(work, 'plain'), data));
  const fg = await best(async () => void readFileSync(join(work, 'plain')));
  console.log(`store throughput, ${mb} MiB, best of ${rounds}`);
  console.log(
    `  local put ${rate(lp)} (file write ${rate(fp)}), get+verify ${rate(lg)} (file read ${rate(fg)})`,
  );

  const endpoint = process.env.CEPH_S3_ENDPOINT;
  if (endpoint) {
    const bucket = `kimg-bench-${randomBytes(3).toString('hex')}`;
    const creds = {
      accessKeyId: process.env.CEPH_S3_ACCESS_KEY!,
      secretAccessKey: process.env.CEPH_S3_SECRET_KEY!,
    };
    const s3 = new S3ImageStore({ endpoint, region: 'us-east-1', bucket, ...creds, partBytes: 16 * 2 ** 20 });
    const [sp, sg] = await storeRun(s3);
    const raw = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: creds,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const rp = await best(
      async () => void (await raw.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw', Body: data }))),
    );
    const rg = await best(async () => {
      const r = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: 'raw' }));
      await drain(r.Body as Readable);
    });
    console.log(
      `  s3 put ${rate(sp)} (raw PutObject ${rate(rp)}), get+verify ${rate(sg)} (raw GetObject ${rate(rg)})`,
    );
    const left = await raw.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const o of left.Contents ?? [])
      await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
    await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
    await s3.close();
    raw.destroy();
  } else {
    console.log('  s3: no CEPH_S3_ENDPOINT (the test environment runs no Ceph); skipped');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
