// The image exchange bucket (the test environment's Ceph RGW) through JD's own SDK: a qcow2 a user
// put under their account's prefix is imported from its s3:// URL; exportImage writes that
// image's disk back under the prefix, byte for byte, and imageTasks says where. Another account's
// prefix, another bucket, a public image and a missing object are refused or fail saying why, with
// nothing created. kumod SIGKILLed before and after the upload converges after a restart: the
// object is whole and the task finished, with no unfinished upload left.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runKumoAsync } from '../support/cli.js';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';
import { createAccount } from '../support/vpc-sdk.js';

const require = createRequire(import.meta.url);
const { VM } = require('jdcloud-sdk-js') as { VM: new (opts: object) => Sdk };
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Sdk = Record<string, (opts: object, regionId?: string) => Promise<Any>>;

const endpoint = process.env.CEPH_S3_ENDPOINT;
const run = endpoint ? describe : describe.skip;
const credentials = {
  accessKeyId: process.env.CEPH_S3_ACCESS_KEY ?? '',
  secretAccessKey: process.env.CEPH_S3_SECRET_KEY ?? '',
};

run('the image exchange bucket', () => {
  const bucket = `kumo-xchg-${process.pid}`;
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  const work = mkdtempSync(join(tmpdir(), 'kexchange-'));
  const disk = join(work, 'disk.qcow2');
  let dbUrl: string;
  let dataDir: string;
  let kumod: KumodProcess;
  let vm: Sdk;
  let other: Sdk;
  let keys: { accessKey: string; secretKey: string };
  let otherKeys: { accessKey: string; secretKey: string };

  const env = (crashAt?: string) => ({
    DATABASE_URL: dbUrl,
    KUMO_LOCAL_HOST: 'none',
    KUMO_IMAGE_EXCHANGE_BUCKET: bucket,
    KUMO_IMAGE_S3_ENDPOINT: endpoint!,
    KUMO_IMAGE_S3_ACCESS_KEY: credentials.accessKeyId,
    KUMO_IMAGE_S3_SECRET_KEY: credentials.secretAccessKey,
    KUMO_IMAGE_S3_PART_MB: '5',
    KUMO_STORAGE_LEASE_SECONDS: '2',
    KUMO_STORAGE_INTERVAL_MS: '200',
    ...(crashAt ? { KUMO_TEST_CRASH_AT: crashAt } : {}),
  });
  const sdk = (k: { accessKey: string; secretKey: string }) => {
    const url = new URL(kumod.endpoint);
    return new VM({
      credentials: { accessKeyId: k.accessKey, secretAccessKey: k.secretKey },
      endpoint: { host: url.host, protocol: 'http' },
      regionId: 'local-1',
      logger: () => undefined,
    });
  };
  async function start(crashAt?: string): Promise<KumodProcess> {
    kumod = await startKumod(env(crashAt), { dataDir });
    keys ??= await createAccount(kumod, 'xchg');
    otherKeys ??= await createAccount(kumod, 'xchg-other');
    vm = sdk(keys);
    other = sdk(otherKeys);
    return kumod;
  }
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const object = async (key: string) => {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const parts: Buffer[] = [];
    for await (const c of r.Body as Readable) parts.push(c as Buffer);
    return Buffer.concat(parts);
  };
  const objectKeys = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
  const unfinished = async () =>
    (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];
  const refusal = (p: Promise<Any>) =>
    p.then(
      () => undefined,
      (e: Any) => e,
    );
  async function settled(sdkClient: Sdk, taskId: string, timeoutMs = 60_000): Promise<Any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { result } = await sdkClient.imageTasks!({ taskIds: [taskId] });
      const t = result.taskSet[0];
      if (t && (t.taskStatus === 'finished' || t.taskStatus === 'failed')) return t;
      if (Date.now() > deadline) throw new Error(`task ${taskId} still ${t?.taskStatus}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const spec = (imageUrl: string, imageName: string) => ({
    architecture: 'x86_64',
    osType: 'linux',
    platform: 'Other Linux',
    diskFormat: 'qcow2',
    systemDiskSizeGB: 40,
    imageUrl,
    imageName,
  });
  let imageId: string;

  beforeAll(async () => {
    // 12 MiB of data: an export of more than one 5 MiB part.
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '1G'], { stdio: 'pipe' });
    execFileSync('qemu-io', ['-c', 'write -P 0x6b 0 12M', disk], { stdio: 'pipe' });
    dbUrl = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'kumod-exchange-'));
    await start();
    // The bucket is the operator's (kumod never creates it); the user's file arrives under their prefix.
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'xchg/in/disk.qcow2', Body: readFileSync(disk) }),
    );
  }, 90_000);

  afterAll(async () => {
    await kumod?.stop();
    removeDataDir(dataDir);
    await dropTestDatabase(dbUrl);
    for (const k of await objectKeys().catch(() => []))
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    s3.destroy();
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('an object under the account prefix imports from its s3:// URL', async () => {
    const { result } = await vm.importImage!(spec(`s3://${bucket}/xchg/in/disk.qcow2`, 'from-s3'));
    const task = await settled(vm, result.taskId);
    expect(task).toMatchObject({ taskStatus: 'finished', action: 'ImportImage', message: '' });
    const { result: d } = await vm.describeImage!({ imageId: result.imageId });
    expect(d.image).toMatchObject({ status: 'ready', imageSource: 'private', name: 'from-s3' });
    const stored = execFileSync('find', [join(dataDir, 'image-store', 'objects'), '-type', 'f'], {
      encoding: 'utf8',
    }).trim();
    expect(sha256(readFileSync(stored))).toBe(sha256(readFileSync(disk)));
    imageId = result.imageId;
  });

  test.each([
    [
      'another account’s prefix',
      `s3://${bucket}/xchg-other/in/disk.qcow2`,
      'must be under xchg/ in the bucket',
    ],
    ['another bucket', 's3://somebody-else/xchg/in/disk.qcow2', `the image exchange bucket is ${bucket}`],
    ['a key climbing out', `s3://${bucket}/xchg/../xchg-other/disk.qcow2`, 'is not a valid object key'],
  ])('importImage from %s is refused and creates nothing', async (_what, url, why) => {
    const before = (await vm.describeImages!({ imageSource: 'private' })).result.totalCount;
    const e = await refusal(vm.importImage!(spec(url, 'refused')));
    expect(e?.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(String(e?.error?.message)).toContain(why);
    expect((await vm.describeImages!({ imageSource: 'private' })).result.totalCount).toBe(before);
  });

  test('a missing object fails the task and the image, saying which', async () => {
    const { result } = await vm.importImage!(spec(`s3://${bucket}/xchg/in/nothing.qcow2`, 'missing'));
    const task = await settled(vm, result.taskId);
    expect(task).toMatchObject({
      taskStatus: 'failed',
      message: `there is no object s3://${bucket}/xchg/in/nothing.qcow2`,
    });
    expect((await vm.describeImage!({ imageId: result.imageId })).result.image.status).toBe('error');
    await vm.deleteImage!({ imageId: result.imageId });
  });

  test('exportImage writes the disk under the prefix, byte for byte; imageTasks says where', async () => {
    const { result } = await vm.exportImage!({
      imageId,
      roleName: 'kumo-export',
      ossUrl: `s3://${bucket}`,
      ossPrefix: 'out/',
      clientToken: 'export-1',
    });
    expect(result).toEqual({ taskId: expect.stringMatching(/^imt-/) });
    const task = await settled(vm, result.taskId);
    const key = `xchg/out/${imageId}.qcow2`;
    expect(task).toMatchObject({
      action: 'ExportImage',
      taskStatus: 'finished',
      imageId,
      progress: 100,
      message: `s3://${bucket}/${key}`,
    });
    expect(sha256(await object(key))).toBe(sha256(readFileSync(disk)));
    expect(await unfinished()).toEqual([]);
    // The same token answers with the same task.
    const again = await vm.exportImage!({
      imageId,
      roleName: 'kumo-export',
      ossUrl: `s3://${bucket}`,
      ossPrefix: 'out/',
      clientToken: 'export-1',
    });
    expect(again.result).toEqual(result);
    // Filtered by action.
    const { result: exports } = await vm.imageTasks!({ taskAction: 'ExportImage' });
    expect(exports.taskSet.map((t: Any) => t.taskId)).toEqual([result.taskId]);
  });

  test('exports that cannot be made are refused in JD’s envelope, with no task', async () => {
    const ok = { imageId, roleName: 'kumo-export', ossUrl: `s3://${bucket}` };
    const cases: [Any, Sdk, number, string][] = [
      [{ ...ok, ossUrl: 's3://somebody-else' }, vm, 400, `must be s3://${bucket}`],
      [{ ...ok, ossPrefix: '../xchg-other/' }, vm, 400, 'ossPrefix'],
      [{ ...ok, roleName: 'bad role!' }, vm, 400, 'roleName'],
      [ok, other, 404, `Image '${imageId}' not found`],
    ];
    for (const [body, client, status, why] of cases) {
      const e = await refusal(client.exportImage!(body));
      expect({ code: e?.error?.code, message: e?.error?.message }).toEqual({
        code: status,
        message: expect.stringContaining(why),
      });
    }
    const { result } = await vm.imageTasks!({ taskAction: 'ExportImage' });
    expect(result.totalCount).toBe(1);
  });

  test.each(['imageTasks:export', 'imageTasks:export:uploaded'])(
    'kumod killed at %s: a restart finishes the export, the object whole',
    async (point) => {
      await kumod.stop();
      const crashing = await start(point);
      const died = new Promise<string | null>((r) => crashing.child.once('exit', (_c, sig) => r(sig)));
      const prefix = `crash-${point.split(':').pop()}/`;
      const { result } = await vm.exportImage!({
        imageId,
        roleName: 'r',
        ossUrl: `s3://${bucket}`,
        ossPrefix: prefix,
      });
      expect(await died).toBe('SIGKILL');
      await start();
      const task = await settled(vm, result.taskId);
      expect(task.taskStatus).toBe('finished');
      expect(sha256(await object(`xchg/${prefix}${imageId}.qcow2`))).toBe(sha256(readFileSync(disk)));
      expect(await unfinished()).toEqual([]);
      expect((await objectKeys()).filter((k) => k.startsWith(`xchg/${prefix}`))).toEqual([
        `xchg/${prefix}${imageId}.qcow2`,
      ]);
    },
  );

  test('kumo image export --wait prints where the object is', async () => {
    const home = mkdtempSync(join(work, 'home-'));
    const userEnv = {
      KUMO_ACCESS_KEY: keys.accessKey,
      KUMO_SECRET_KEY: keys.secretKey,
      KUMO_ENDPOINT: kumod.endpoint,
    };
    const r = await runKumoAsync(home, userEnv, [
      'image',
      'export',
      imageId,
      '--bucket',
      bucket,
      '--prefix',
      'cli/',
      '--wait',
    ]);
    expect(r).toMatchObject({
      status: 0,
      stderr: '',
      stdout: `Exported image ${imageId} to s3://${bucket}/xchg/cli/${imageId}.qcow2\n`,
    });
    expect(sha256(await object(`xchg/cli/${imageId}.qcow2`))).toBe(sha256(readFileSync(disk)));
    const refused = await runKumoAsync(home, userEnv, ['image', 'export', imageId, '--bucket', 'elsewhere']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`Invalid parameter ossUrl: must be s3://${bucket}`);
  });
});
