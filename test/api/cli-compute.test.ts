// The built `kumo` command's compute groups against a real kumod without hosts (KUMO_LOCAL_HOST=none):
// host, image import/list/show/delete, subnet, instance and account commands, and their exit codes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUMO, kumoIn, ok } from '../support/cli.js';
import { startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';

const work = mkdtempSync(join(tmpdir(), 'kumo-cli-compute-'));
// An empty home: nothing of the person running the tests is read or written (~/.kumo).
const home = mkdtempSync(join(work, 'home-'));

let kumod: TestKumod;
let admin: Record<string, string>;

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase({
    KUMO_LOCAL_HOST: 'none',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
    // The fake images this suite builds live under its work directory.
    KUMO_IMAGE_IMPORT_DIRS: work,
  });
  admin = {
    KUMO_ACCESS_KEY: kumod.credentials.accessKey,
    KUMO_SECRET_KEY: kumod.credentials.secretKey,
    KUMO_ENDPOINT: kumod.endpoint,
  };
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `kumo args…` with only PATH, HOME and the given variables in its environment. */
const kumo = kumoIn(home);

/** A fake image directory: import checks only the manifest and the files' sizes and sha256. */
function fakeImage(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const root = Buffer.from(`not really qcow2: ${name}\n`);
  writeFileSync(join(dir, 'root.qcow2'), root);
  const manifest = {
    name,
    os: 'debian',
    version: '12',
    arch: 'x86_64',
    rootDevice: 'virtio-blk',
    minDiskBytes: 2 * 2 ** 30,
    boot: { mode: 'firmware' },
    defaultUser: 'debian',
    sshPasswordAuth: false,
    files: {
      root: {
        path: 'root.qcow2',
        bytes: root.length,
        sha256: createHash('sha256').update(root).digest('hex'),
      },
    },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return join(dir, 'manifest.json');
}

test('host list is empty without hosts; subnet list shows the default subnet of the default AZ', () => {
  expect(ok(kumo(admin, 'host', 'list'))).toMatch(
    /^ID\s+NAME\s+AZ\s+ENABLED\s+HEALTH\s+VCPUS\s+MEMORY\(MB\)\s+DISK\(GB\)\s+URI\n$/,
  );
  expect(JSON.parse(ok(kumo(admin, '-o', 'json', 'host', 'list')))).toEqual({ hosts: [] });
  // Every account gets a default VPC and a default subnet per AZ on first use; before any host is
  // registered the configured region has its default AZ.
  expect(ok(kumo(admin, 'subnet', 'list'))).toMatch(
    /^ID\s+NAME\s+AZ\s+CIDR\s+VPC\nsubnet-\S+\s+default-local-1a\s+local-1a\s+10\.240\.0\.0\/24\s+vpc-\S+\n$/,
  );
  expect(JSON.parse(ok(kumo(admin, '-o', 'json', 'subnet', 'list'))).totalCount).toBe(1);
  const missing = kumo(admin, 'host', 'show', 'nope');
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/^Error: NOT_FOUND: .*nope/);
});

test('image import (relative manifest path), list, show and delete', () => {
  const manifest = fakeImage('cli-fake');
  // A path relative to the working directory is sent to kumod as an absolute one.
  const r = spawnSync(
    process.execPath,
    [KUMO, '-o', 'json', 'image', 'import', 'cli-fake/manifest.json', '--name', 'fake-1'],
    {
      cwd: work,
      env: { PATH: process.env.PATH, HOME: home, ...admin },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  const image = JSON.parse(ok({ status: r.status, stdout: r.stdout, stderr: r.stderr })) as {
    imageId: string;
    name: string;
    status: string;
    imageSource: string;
    systemDiskSizeGB: number;
  };
  expect(image).toMatchObject({
    name: 'fake-1',
    status: 'ready',
    imageSource: 'public',
    systemDiskSizeGB: 2,
  });
  expect(image.imageId).toMatch(/^img-/);

  const table = ok(kumo(admin, 'image', 'list'));
  expect(table.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATUS\s+SOURCE\s+PLATFORM/);
  expect(table).toMatch(new RegExp(`^${image.imageId}\\s+fake-1\\s+ready\\s+public\\s`, 'm'));
  const listed = JSON.parse(ok(kumo(admin, '-o', 'json', 'image', 'list', '--id', image.imageId))) as {
    images: { imageId: string }[];
    totalCount: number;
  };
  expect(listed.images.map((i) => i.imageId)).toEqual([image.imageId]);
  expect(ok(kumo(admin, 'image', 'show', image.imageId))).toMatch(/^Name:\s+fake-1$/m);

  // A manifest whose file does not match is refused by the API: exit 1 with its message.
  writeFileSync(join(work, 'cli-fake', 'root.qcow2'), 'changed');
  const bad = kumo(admin, 'image', 'import', manifest, '--name', 'fake-2');
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/^Error: INVALID_ARGUMENT: .*files\.root.*\(requestId [a-z0-9]+\)\n$/);

  expect(ok(kumo(admin, 'image', 'delete', image.imageId))).toContain(image.imageId);
  expect(JSON.parse(ok(kumo(admin, '-o', 'json', 'image', 'list')))).toEqual({ images: [], totalCount: 0 });
  const again = kumo(admin, 'image', 'delete', image.imageId);
  expect(again.status).toBe(1);
  expect(again.stderr).toContain(`Error: ${image.imageId}: NOT_FOUND`);
});

test('instance list is empty; instance create without hosts exits 1 with the API error', () => {
  expect(ok(kumo(admin, 'instance', 'list'))).toMatch(
    /^ID\s+NAME\s+STATUS\s+TYPE\s+AZ\s+PRIVATE IP\s+IMAGE\s+LAUNCHED\n$/,
  );
  expect(
    JSON.parse(ok(kumo(admin, '-o', 'json', 'instance', 'list', '--status', 'running', '--name', 'x'))),
  ).toEqual({ instances: [], totalCount: 0 });

  const manifest = fakeImage('cli-fake-create');
  const image = JSON.parse(ok(kumo(admin, '-o', 'json', 'image', 'import', manifest))) as { imageId: string };
  const create = kumo(
    admin,
    'instance',
    'create',
    '--name',
    'web',
    '--az',
    'local-1a',
    '--type',
    't.n1.nano',
    '--image',
    image.imageId,
    '--wait',
  );
  expect(create.status).toBe(1);
  expect(create.stdout).toBe('');
  expect(create.stderr).toMatch(/^Error: INVALID_ARGUMENT: Invalid az 'local-1a' \(requestId [a-z0-9]+\)\n$/);

  const missing = kumo(admin, 'instance', 'stop', 'i-nothere1', 'i-nothere2', '--wait');
  expect(missing.status).toBe(1);
  expect(missing.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^Error: i-nothere1: NOT_FOUND: /),
    expect.stringMatching(/^Error: i-nothere2: NOT_FOUND: /),
  ]);
  const ssh = kumo(admin, 'instance', 'ssh', 'i-nothere1', '--key', manifest);
  expect(ssh.status).toBe(1);
  expect(ssh.stderr).toMatch(/^Error: NOT_FOUND: /);
});

test('account create (printed and --out config) and list; a duplicate exits 1', () => {
  const printed = JSON.parse(ok(kumo(admin, '-o', 'json', 'account', 'create', 'alice'))) as {
    accountId: string;
    accessKey: string;
    secretKey: string;
  };
  expect(printed.secretKey).toMatch(/^.{20,}$/);
  // The new account's keys work: it sees no instances of its own.
  const alice = {
    KUMO_ACCESS_KEY: printed.accessKey,
    KUMO_SECRET_KEY: printed.secretKey,
    KUMO_ENDPOINT: kumod.endpoint,
  };
  expect(JSON.parse(ok(kumo(alice, '-o', 'json', 'instance', 'list')))).toEqual({
    instances: [],
    totalCount: 0,
  });
  // ...and is not an admin.
  expect(kumo(alice, 'host', 'list').status).toBe(1);

  const config = join(work, 'bob.json');
  const table = ok(kumo(admin, 'account', 'create', 'bob', '--out', config));
  expect(table).not.toMatch(/Secret/);
  expect(statSync(config).mode & 0o777).toBe(0o600);
  const bob = JSON.parse(readFileSync(config, 'utf8')) as { accessKey: string };
  expect(ok(kumo({ KUMO_CONFIG: config, KUMO_ENDPOINT: kumod.endpoint }, 'keypair', 'list'))).toMatch(
    /^NAME/,
  );
  expect(kumo({ KUMO_CONFIG: config }, '--endpoint', kumod.endpoint, 'keypair', 'list').status).toBe(0);

  const list = ok(kumo(admin, 'account', 'list'));
  expect(list.split('\n')[0]).toMatch(/^ID\s+NAME\s+ADMIN\s+CREATED$/);
  expect(list).toMatch(/\salice\s+no\s/);
  expect(list).toMatch(/\sbob\s+no\s/);
  expect(list).not.toContain(bob.accessKey);

  const dup = kumo(admin, 'account', 'create', 'alice');
  expect(dup.status).toBe(1);
  expect(dup.stderr).toMatch(/^Error: ALREADY_EXISTS: /);
});

// `instance create` with every required flag, then the flags under test.
const create = (...flags: string[]) => [
  ...['instance', 'create', '--name', 'a', '--az', 'z', '--type', 't', '--image', 'i'],
  ...flags,
];

test.each([
  ['create without --image', ['instance', 'create', '--name', 'a', '--az', 'z', '--type', 't']],
  ['a bad --count', create('--count', '0')],
  ['a bad --disk-category', create('--disk-category', 'tape')],
  ['--disk-size on a local disk', create('--disk-size', '40')],
  ['an unreadable --userdata-file', create('--userdata-file', '/nonexistent')],
  ['a bad --timeout', ['instance', 'start', 'i-x', '--wait', '--timeout', 'soon']],
  ['resize without --type', ['instance', 'resize', 'i-x']],
  ['stop without ids', ['instance', 'stop']],
  ['ssh without --key', ['instance', 'ssh', 'i-x']],
  ['ssh with a missing key file', ['instance', 'ssh', 'i-x', '--key', '/nonexistent/key']],
  ['host add without --uri', ['host', 'add', 'h1', '--az', 'a', '--pool-path', '/p']],
  [
    'a bad --accelerator',
    [
      'host',
      'add',
      'h1',
      '--uri',
      'qemu:///system',
      '--az',
      'a',
      '--pool-path',
      '/p',
      '--accelerator',
      'xen',
    ],
  ],
  ['image import without a manifest', ['image', 'import']],
  ['a bad image --status', ['image', 'list', '--status', 'lost']],
  ['an unknown subnet command', ['subnet', 'create']],
])('%s is a usage error: exit 2', (_what, args) => {
  const r = kumo(admin, ...args);
  expect(r.status).toBe(2);
  expect(r.stderr).not.toBe('');
});
