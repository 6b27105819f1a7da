// JD's own Node SDK (jdcloud-sdk-js, its vm client) drives the image lifecycle operations of a
// kumod without hosts: every refusal of createImage, shareImage, unShareImage,
// describeImageMembers and copyImages is JD's envelope with the right status, nothing is created,
// and describeQuotas counts images and shares. The `kumo image` commands report the same refusals.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Image } from '@kumo/contract';
import { kumoIn } from '../support/cli.js';
import { startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { createAccount } from '../support/vpc-sdk.js';

const require = createRequire(import.meta.url);
const { VM } = require('jdcloud-sdk-js') as { VM: new (opts: object) => Sdk };

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Sdk = Record<string, (opts: object, regionId?: string) => Promise<Any>>;

const work = mkdtempSync(join(tmpdir(), 'kimg-sdk-'));
const home = mkdtempSync(join(work, 'home-'));
const kumo = kumoIn(home);
let kumod: TestKumod;
let vm: Sdk;
let userEnv: Record<string, string>;
let publicImage: string;

/** A fake image directory: import checks only the manifest and the files' sizes and sha256. */
function fakeImage(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const root = Buffer.from(`not really qcow2: ${name}\n`);
  writeFileSync(join(dir, 'root.qcow2'), root);
  const sha256 = createHash('sha256').update(root).digest('hex');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      name,
      os: 'debian',
      version: '12',
      arch: 'x86_64',
      rootDevice: 'virtio-blk',
      minDiskBytes: 2 ** 30,
      boot: { mode: 'firmware' },
      defaultUser: 'debian',
      sshPasswordAuth: false,
      files: { root: { path: 'root.qcow2', bytes: root.length, sha256 } },
    }),
  );
  return join(dir, 'manifest.json');
}

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase({ KUMO_LOCAL_HOST: 'none', KUMO_IMAGE_IMPORT_DIRS: work });
  const { image } = await kumod.admin().adminRequest<{ image: Image }>('POST', '/images:import', {
    body: { manifestPath: fakeImage('pub'), regionId: 'local-1' },
  });
  publicImage = image.imageId;
  const keys = await createAccount(kumod, 'sdk-imager');
  await createAccount(kumod, 'friend');
  const url = new URL(kumod.endpoint);
  vm = new VM({
    credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
    endpoint: { host: url.host, protocol: 'http' },
    regionId: 'local-1',
    logger: () => undefined,
  });
  userEnv = {
    KUMO_ACCESS_KEY: keys.accessKey,
    KUMO_SECRET_KEY: keys.secretKey,
    KUMO_ENDPOINT: kumod.endpoint,
  };
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const refusal = (p: Promise<Any>) =>
  p.then(
    () => undefined,
    (e: Any) => e,
  );

test('createImage refuses bad names, malformed dataDisks and unknown instances; nothing is created', async () => {
  const bad = await refusal(vm.createImage!({ instanceId: 'i-000000000000', name: 'bad name!' }));
  expect(bad).toMatchObject({
    error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid parameter name' },
  });
  const disks = await refusal(
    vm.createImage!({ instanceId: 'i-000000000000', name: 'ok', dataDisks: [{ noDevice: 'yes' }] }),
  );
  expect(disks).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  const missing = await refusal(
    vm.createImage!({ instanceId: 'i-000000000000', name: 'ok', description: 'x' }),
  );
  expect(missing).toMatchObject({
    requestId: expect.any(String),
    error: { code: 404, status: 'NOT_FOUND', message: "Instance 'i-000000000000' not found." },
  });
  const { result } = await vm.describeImages!({ imageSource: 'private' });
  expect(result.totalCount).toBe(0);
});

test('public and unknown images cannot be shared, listed for members or copied', async () => {
  const share = await refusal(vm.shareImage!({ imageId: publicImage, pins: ['friend'] }));
  expect(share).toMatchObject({
    error: {
      code: 400,
      status: 'FAILED_PRECONDITION',
      message: `Image '${publicImage}' is not a private image`,
    },
  });
  const unshare = await refusal(vm.unShareImage!({ imageId: publicImage, pins: ['friend'] }));
  expect(unshare).toMatchObject({ error: { code: 400, status: 'FAILED_PRECONDITION' } });
  const members = await refusal(vm.describeImageMembers!({ imageId: publicImage }));
  expect(members).toMatchObject({ error: { code: 400, status: 'FAILED_PRECONDITION' } });
  const unknown = await refusal(vm.shareImage!({ imageId: 'img-000000000000', pins: ['friend'] }));
  expect(unknown).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  const copy = await refusal(
    vm.copyImages!({ sourceImageIds: [publicImage], destinationRegion: 'cn-east-9' }),
  );
  expect(copy).toMatchObject({
    error: { code: 404, status: 'NOT_FOUND', message: "Region 'cn-east-9' not found" },
  });
  const same = await refusal(vm.copyImages!({ sourceImageIds: [publicImage], destinationRegion: 'local-1' }));
  expect(same).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  const none = await refusal(vm.copyImages!({ sourceImageIds: [], destinationRegion: 'local-1' }));
  // An empty list is out of the parameter's range (1–10), as for every bounded array.
  expect(none).toMatchObject({ error: { code: 400, status: 'OUT_OF_RANGE' } });
  // A user cannot delete a public image either.
  const del = await refusal(vm.deleteImage!({ imageId: publicImage }));
  expect(del).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
});

test('describeQuotas counts private images and the shares of one image', async () => {
  const { result } = await vm.describeQuotas!({
    filters: [{ name: 'resourceTypes', values: ['image', 'imageShare'] }],
    imageId: publicImage,
  });
  expect(result.quotas).toEqual([
    { resourceType: 'image', limit: 10, used: 0 },
    { resourceType: 'imageShare', limit: 10, used: 0 },
  ]);
});

test('the kumo image commands report the same refusals and exit 1', () => {
  const share = kumo(userEnv, 'image', 'share', publicImage, 'friend');
  expect(share.status).toBe(1);
  expect(share.stderr).toContain(`Image '${publicImage}' is not a private image`);
  const create = kumo(userEnv, 'image', 'create', 'i-000000000000', '--name', 'x');
  expect(create.status).toBe(1);
  expect(create.stderr).toContain("Instance 'i-000000000000' not found.");
  const copy = kumo(userEnv, 'image', 'copy', publicImage, '--to', 'cn-east-9');
  expect(copy.status).toBe(1);
  expect(copy.stderr).toContain("Region 'cn-east-9' not found");
});
