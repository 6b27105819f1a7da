// importImage and imageTasks through JD's own SDK (jdcloud-sdk-js, its vm client): real qcow2
// files (qemu-img) served over loopback become private images with a task a user polls; what
// cannot be imported — a raw file, a backing file, a disk larger than asked, a missing URL, a redirect
// to where imports may not reach — fails the task and the image with the reason; a request
// out of JD's ranges is refused in JD's envelope with nothing created; kill -9 mid-import and a
// clean stop mid-download both converge after a restart.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKumoAsync } from '../support/cli.js';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';
import { createAccount } from '../support/vpc-sdk.js';

const require = createRequire(import.meta.url);
const { VM } = require('jdcloud-sdk-js') as { VM: new (opts: object) => Sdk };
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Sdk = Record<string, (opts: object, regionId?: string) => Promise<Any>>;

const work = mkdtempSync(join(tmpdir(), 'kimport-url-'));
const file = (name: string) => join(work, name);
let server: Server;
let base: string;
let dbUrl: string;
let dataDir: string;
let kumod: KumodProcess;
let keys: { accessKey: string; secretKey: string };
let vm: Sdk;
/** Called when the file server starts serving /slow. */
let slowStarted: () => void = () => undefined;

const env = (crashAt?: string) => ({
  DATABASE_URL: dbUrl,
  KUMO_LOCAL_HOST: 'none',
  KUMO_IMAGE_IMPORT_ALLOW_CIDRS: '127.0.0.0/8',
  KUMO_QUOTA_IMAGE: '12',
  // A short lease: the restarted kumod takes a dead one's task over in seconds.
  KUMO_STORAGE_LEASE_SECONDS: '2',
  KUMO_STORAGE_INTERVAL_MS: '200',
  ...(crashAt ? { KUMO_TEST_CRASH_AT: crashAt } : {}),
});

/** Starts kumod on the test's database and data dir (its credentials file is reused), and the SDK. */
async function start(crashAt?: string): Promise<void> {
  kumod = await startKumod(env(crashAt), { dataDir });
  keys ??= await createAccount(kumod, 'importer');
  const url = new URL(kumod.endpoint);
  vm = new VM({
    credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
    endpoint: { host: url.host, protocol: 'http' },
    regionId: 'local-1',
    logger: () => undefined,
  });
}

const qemuImg = (...args: string[]) => execFileSync('qemu-img', args, { stdio: 'pipe' });
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const spec = (name: string, extra: Any = {}) => ({
  architecture: 'x86_64',
  osType: 'linux',
  platform: 'Other Linux',
  diskFormat: 'qcow2',
  systemDiskSizeGB: 40,
  imageUrl: `${base}/${name}`,
  imageName: name.replace(/[^a-z0-9-]/g, '-'),
  osVersion: '1',
  ...extra,
});
const refusal = (p: Promise<Any>) =>
  p.then(
    () => undefined,
    (e: Any) => e,
  );

/** Polls imageTasks for one task until it ends; returns its TaskInfo. */
async function settled(taskId: string, timeoutMs = 60_000): Promise<Any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { result } = await vm.imageTasks!({ taskIds: [taskId] });
    const t = result.taskSet[0];
    if (t && (t.taskStatus === 'finished' || t.taskStatus === 'failed')) return t;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${t?.taskStatus}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  // The files a user would upload somewhere: a real qcow2 with data, and the ones that must fail.
  qemuImg('create', '-q', '-f', 'qcow2', file('disk.qcow2'), '1G');
  execFileSync('qemu-io', ['-c', 'write -P 0x5a 0 4M', file('disk.qcow2')], { stdio: 'pipe' });
  qemuImg('create', '-q', '-f', 'qcow2', '-b', '/etc/hostname', '-F', 'raw', file('backed.qcow2'), '1G');
  qemuImg('create', '-q', '-f', 'qcow2', file('huge.qcow2'), '60G');
  writeFileSync(file('raw.img'), Buffer.alloc(1 << 20, 1));
  server = createServer((req, res) => {
    const name = decodeURIComponent(req.url!.slice(1).split('?')[0]!);
    // A redirect out of the ranges kumod may reach: refused at that hop, nothing dialled there.
    if (name === 'away') return void res.writeHead(302, { location: 'http://10.255.255.1/disk.qcow2' }).end();
    if (name === 'slow') {
      // The real disk, dribbled out: a download still in flight when kumod stops.
      slowStarted();
      const all = readFileSync(file('disk.qcow2'));
      res.writeHead(200, { 'content-length': all.length });
      let at = 0;
      const timer = setInterval(() => {
        if (at >= all.length || res.destroyed) return clearInterval(timer);
        res.write(all.subarray(at, (at += 64 * 1024)));
      }, 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    try {
      const size = statSync(file(name)).size;
      res.writeHead(200, { 'content-length': size });
      createReadStream(file(name)).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dbUrl = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'kumod-import-url-'));
  await start();
}, 90_000);

afterAll(async () => {
  await kumod?.stop();
  removeDataDir(dataDir);
  await dropTestDatabase(dbUrl);
  // Downloads a stopped kumod cut may leave sockets half-open here: close them, not wait on them.
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(work, { recursive: true, force: true });
}, 60_000);

test('a qcow2 at a URL becomes a ready private image; the task reports it; a clientToken repeats it', async () => {
  const { result } = await vm.importImage!({ ...spec('disk.qcow2'), clientToken: 'import-disk-1' });
  expect(result).toEqual({ imageId: expect.stringMatching(/^img-/), taskId: expect.stringMatching(/^imt-/) });
  const task = await settled(result.taskId);
  expect(task).toEqual({
    taskId: result.taskId,
    action: 'ImportImage',
    taskStatus: 'finished',
    imageId: result.imageId,
    progress: 100,
    message: '',
    createdTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    finishedTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
  });
  const { result: described } = await vm.describeImage!({ imageId: result.imageId });
  expect(described.image).toMatchObject({
    imageId: result.imageId,
    name: 'disk-qcow2',
    status: 'ready',
    imageSource: 'private',
    platform: 'Other Linux',
    osType: 'linux',
    architecture: 'x86_64',
    systemDiskSizeGB: 40,
    sizeMB: Math.ceil(statSync(file('disk.qcow2')).size / 2 ** 20),
  });
  // The store holds exactly the bytes served, under their hash.
  const stored = execFileSync('find', [join(dataDir, 'image-store', 'objects'), '-type', 'f'], {
    encoding: 'utf8',
  });
  expect(
    stored
      .trim()
      .split('\n')
      .map((p) => sha256(p)),
  ).toEqual([sha256(file('disk.qcow2'))]);
  // The same token answers with the same task, and creates nothing.
  const again = await vm.importImage!({ ...spec('disk.qcow2'), clientToken: 'import-disk-1' });
  expect(again.result).toEqual(result);
  const { result: mine } = await vm.describeImages!({ imageSource: 'private' });
  expect(mine.totalCount).toBe(1);
});

test.each([
  ['raw.img', {}, 'the file is not a qcow2 image (convert it with qemu-img convert -O qcow2)'],
  ['backed.qcow2', {}, 'the image names a backing file'],
  ['huge.qcow2', {}, "the image's disk (60 GB) is larger than systemDiskSizeGB 40"],
  ['missing.qcow2', {}, `${'BASE'} answered HTTP 404`],
  ['away', {}, 'http://10.255.255.1 is not an address imports may reach'],
])('%s: the task fails saying why, and so does the image', async (name, extra, why) => {
  const { result } = await vm.importImage!(spec(name, extra));
  const task = await settled(result.taskId);
  const message = why.replace('BASE', base);
  expect({ status: task.taskStatus, message: task.message }).toEqual({
    status: 'failed',
    message: expect.stringContaining(message),
  });
  const { result: img } = await vm.describeImage!({ imageId: result.imageId });
  expect(img.image.status).toBe('error');
  // A failed import's image can be deleted like any private image.
  await vm.deleteImage!({ imageId: result.imageId });
});

test("requests out of JD's ranges are refused in JD's envelope, and nothing is created", async () => {
  const before = (await vm.imageTasks!({})).result.totalCount;
  const images = (await vm.describeImages!({ imageSource: 'private' })).result.totalCount;
  const cases: [Any, string][] = [
    [{ architecture: 'arm64' }, "Invalid parameter architecture: this region's hosts run x86_64 guests only"],
    [{ osType: 'windows' }, 'Invalid parameter osType'],
    [{ platform: 'Windows Server' }, 'Invalid parameter platform'],
    [{ diskFormat: 'vhd' }, 'Invalid parameter diskFormat: only qcow2 is imported here'],
    [{ systemDiskSizeGB: 30 }, 'Invalid parameter systemDiskSizeGB: must be 40 to 500 in steps of 10'],
    [{ systemDiskSizeGB: 45 }, 'Invalid parameter systemDiskSizeGB'],
    [{ systemDiskSizeGB: 510 }, 'Invalid parameter systemDiskSizeGB'],
    [{ imageName: 'no spaces allowed' }, 'Invalid parameter imageName'],
    [{ imageUrl: 'file:///etc/shadow' }, 'Invalid parameter imageUrl: must be http or https'],
    [{ imageUrl: 'http://user:pw@127.0.0.1/x' }, 'Invalid parameter imageUrl: must not carry credentials'],
    [
      { imageUrl: 'http://169.254.169.254/latest/meta-data' },
      'Invalid parameter imageUrl: is not an address imports may reach',
    ],
    [{ imageUrl: 'http://[::1]:80/x' }, 'Invalid parameter imageUrl: is not an address imports may reach'],
  ];
  for (const [extra, message] of cases) {
    const e = await refusal(vm.importImage!(spec('disk.qcow2', extra)));
    expect({ extra, error: e?.error }).toEqual({
      extra,
      error: expect.objectContaining({
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: expect.stringContaining(message),
      }),
    });
  }
  const badPage = await refusal(vm.imageTasks!({ pageSize: 500 }));
  expect(badPage?.error).toMatchObject({ code: 400 });
  const badStatus = await refusal(vm.imageTasks!({ taskStatus: 'sleeping' }));
  expect(badStatus?.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  expect((await vm.imageTasks!({})).result.totalCount).toBe(before);
  expect((await vm.describeImages!({ imageSource: 'private' })).result.totalCount).toBe(images);
});

test('another account sees neither the tasks nor the images', async () => {
  const other = await createAccount(kumod, 'bystander');
  const url = new URL(kumod.endpoint);
  const theirs = new VM({
    credentials: { accessKeyId: other.accessKey, secretAccessKey: other.secretKey },
    endpoint: { host: url.host, protocol: 'http' },
    regionId: 'local-1',
    logger: () => undefined,
  });
  const mine = (await vm.imageTasks!({ taskStatus: 'finished' })).result;
  expect(mine.totalCount).toBeGreaterThan(0);
  const seen = (await theirs.imageTasks!({ taskIds: mine.taskSet.map((t: Any) => t.taskId) })).result;
  expect(seen).toEqual({ taskSet: [], totalCount: 0 });
  const e = await refusal(theirs.describeImage!({ imageId: mine.taskSet[0].imageId }));
  expect(e?.error).toMatchObject({ code: 404 });
});

test('kumo image import-url --wait: the image, or the reason and exit 1', async () => {
  const home = mkdtempSync(join(work, 'home-'));
  const userEnv = {
    KUMO_ACCESS_KEY: keys.accessKey,
    KUMO_SECRET_KEY: keys.secretKey,
    KUMO_ENDPOINT: kumod.endpoint,
  };
  const good = await runKumoAsync(home, userEnv, [
    'image',
    'import-url',
    `${base}/disk.qcow2`,
    '--name',
    'by-cli',
    '--wait',
  ]);
  expect({ status: good.status, stderr: good.stderr }).toEqual({ status: 0, stderr: '' });
  const imageId = /^Imported image (img-[a-z0-9]+)\n$/.exec(good.stdout)?.[1];
  expect(imageId).toBeDefined();
  expect((await vm.describeImage!({ imageId })).result.image).toMatchObject({
    name: 'by-cli',
    status: 'ready',
  });
  const bad = await runKumoAsync(home, userEnv, [
    'image',
    'import-url',
    `${base}/raw.img`,
    '--name',
    'raw-cli',
    '--wait',
  ]);
  expect(bad.status).toBe(1);
  expect(bad.stdout).toMatch(/^Import of img-[a-z0-9]+ failed: the file is not a qcow2 image/);
  const refused = await runKumoAsync(home, userEnv, ['image', 'import-url', 'ftp://x/y', '--name', 'n']);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('Invalid parameter imageUrl: must be http or https');
  const listed = await runKumoAsync(home, userEnv, ['image', 'tasks']);
  expect(listed.stdout).toContain(`${imageId}  finished  100%`);
});

test('kill -9 after the data is stored: the restarted kumod finishes the import', async () => {
  await kumod.stop();
  await start('imageTasks:import:stored');
  const crashing = kumod;
  const died = new Promise<string | null>((r) => crashing.child.once('exit', (_c, sig) => r(sig)));
  const { result } = await vm.importImage!(spec('disk.qcow2', { imageName: 'after-crash' }));
  expect(await died).toBe('SIGKILL');
  await start();
  const task = await settled(result.taskId);
  expect(task).toMatchObject({ taskStatus: 'finished', imageId: result.imageId });
  expect((await vm.describeImage!({ imageId: result.imageId })).result.image.status).toBe('ready');
});

test('a clean stop mid-download is quick and exits 0; the next kumod takes the task over', async () => {
  const started = new Promise<void>((r) => (slowStarted = r));
  const { result } = await vm.importImage!(spec('slow', { imageName: 'slow-one' }));
  await started;
  const t0 = Date.now();
  expect(await kumod.stop()).toBe(0);
  expect(Date.now() - t0).toBeLessThan(10_000);
  await start();
  const task = await settled(result.taskId, 120_000);
  expect(task).toMatchObject({ taskStatus: 'finished', imageId: result.imageId });
  const img = (await vm.describeImage!({ imageId: result.imageId })).result.image;
  expect(img).toMatchObject({
    status: 'ready',
    sizeMB: Math.ceil(statSync(file('disk.qcow2')).size / 2 ** 20),
  });
}, 180_000);

test('the image quota counts imports, race-free', async () => {
  const owned = (await vm.describeImages!({ imageSource: 'private' })).result.totalCount as number;
  // 12 allowed: as many concurrent imports as are left, plus two, and exactly the room is taken.
  const room = 12 - owned;
  const tries = await Promise.all(
    Array.from({ length: room + 2 }, (_, i) =>
      refusal(vm.importImage!(spec('disk.qcow2', { imageName: `q${i}` }))),
    ),
  );
  const refused = tries.filter((e) => e !== undefined);
  expect(refused).toHaveLength(2);
  for (const e of refused)
    expect(e.error).toMatchObject({
      code: 429,
      status: 'QUOTA_EXCEEDED',
      message: 'Image quota limit exceeded',
    });
  expect((await vm.describeImages!({ imageSource: 'private' })).result.totalCount).toBe(12);
}, 120_000);
