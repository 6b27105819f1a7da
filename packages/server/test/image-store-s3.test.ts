// The `s3` image store against a real S3 server: the test environment's Ceph RGW
// (scripts/ceph-up.sh, exported as CEPH_S3_* by in-test-env.sh). The shared ImageStore contract,
// plus what is S3's own: a bucket made on first use, puts that leave no temporary object or
// unfinished upload behind, and one store's object read through another client (another kumod).
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ImageStore } from '../src/drivers/s3-image-store.js';
import { imageStoreContract } from './image-store-contract.js';

const endpoint = process.env.CEPH_S3_ENDPOINT;
const accessKeyId = process.env.CEPH_S3_ACCESS_KEY ?? '';
const secretAccessKey = process.env.CEPH_S3_SECRET_KEY ?? '';
const bucket = `kimg-${randomBytes(4).toString('hex')}`;
const settings = () => ({
  endpoint: endpoint!,
  region: 'us-east-1',
  bucket,
  accessKeyId,
  secretAccessKey,
  // The smallest part S3 allows, so the contract's objects take several parts.
  partBytes: 5 * 2 ** 20,
});

let raw: S3Client;
let a: S3ImageStore;
let b: S3ImageStore;

async function keys(prefix: string): Promise<string[]> {
  const r = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key!);
}

beforeAll(() => {
  if (!endpoint)
    throw new Error(
      'no S3 server: start the test environment with Ceph (scripts/libvirtd-up.sh, KUMO_TEST_CEPH=1)',
    );
  raw = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  a = new S3ImageStore(settings());
  b = new S3ImageStore(settings());
});

afterAll(async () => {
  if (!raw) return;
  for (const k of await keys('')) await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }));
  await raw.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  await a.close();
  await b.close();
  raw.destroy();
});

imageStoreContract(
  () => a,
  async (sha256, bytes) => {
    await raw.send(new PutObjectCommand({ Bucket: bucket, Key: `sha256/${sha256}`, Body: bytes }));
  },
);

test('puts leave no temporary object and no unfinished upload; failed ones neither', async () => {
  expect(await keys('tmp/')).toEqual([]);
  const uploads = await raw.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  expect(uploads.Uploads ?? []).toEqual([]);
});

test('an object one kumod stored is read, verified, through another', async () => {
  const data = randomBytes(12 * 2 ** 20 + 3);
  const put = await a.put(Readable.from([data]));
  expect(await b.stat(put.sha256)).toBe(data.length);
  expect((await buffer(await b.open(put.sha256))).equals(data)).toBe(true);
  expect(await keys(`sha256/${put.sha256}`)).toEqual([`sha256/${put.sha256}`]);
});

test('a server that cannot be reached is UNAVAILABLE, not a missing object', async () => {
  const down = new S3ImageStore({ ...settings(), endpoint: 'http://127.0.0.1:9' });
  await expect(down.stat('0'.repeat(64))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  await down.close();
});
