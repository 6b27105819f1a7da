// importImage (admin) reads only regular files inside the configured import directories: a path
// elsewhere, a missing file, a FIFO, a symlink out and a directory all get the same 400, nothing of
// any file's content is ever echoed, and nothing is registered.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KumoApiError } from '@kumo/client';
import { removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

let kumod: KumodProcess;
const work = mkdtempSync(join(tmpdir(), 'kumo-import-'));
const imports = join(work, 'imports');

beforeAll(async () => {
  chmodSync(work, 0o755);
  mkdirSync(imports);
  writeFileSync(join(imports, 'notes.json'), 'SECRET-CONTENT-4711 is not JSON');
  execFileSync('mkfifo', [join(imports, 'fifo.json')]);
  symlinkSync('/etc/passwd', join(imports, 'escape.json'));
  mkdirSync(join(imports, 'adir'));
  // A manifest whose root file is a symlink out of its directory.
  mkdirSync(join(imports, 'img'));
  symlinkSync('/etc/passwd', join(imports, 'img', 'root.qcow2'));
  writeFileSync(
    join(imports, 'img', 'manifest.json'),
    JSON.stringify({
      name: 'sneaky',
      os: 'kumo-tiny',
      version: '1',
      arch: 'x86_64',
      rootDevice: 'virtio-blk',
      minDiskBytes: 1024,
      boot: { mode: 'firmware' },
      defaultUser: 'root',
      sshPasswordAuth: false,
      files: { root: { path: 'root.qcow2', bytes: 10, sha256: 'a'.repeat(64) } },
    }),
  );
  kumod = await startKumod({ KUMO_IMAGE_IMPORT_DIRS: imports });
}, 60_000);

afterAll(async () => {
  await kumod?.stop();
  removeDataDir(kumod.dataDir);
  rmSync(work, { recursive: true, force: true });
});

async function refusal(manifestPath: string): Promise<KumoApiError> {
  const err = await kumod
    .admin()
    .adminRequest('POST', '/images:import', { body: { manifestPath, regionId: 'local-1' } })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(KumoApiError);
  return err as KumoApiError;
}

test('paths outside the import directories, missing files, FIFOs, symlinks out and directories look alike', async () => {
  const paths = [
    '/etc/shadow',
    '/proc/self/environ',
    join(kumod.dataDir, 'postgres.password'),
    join(imports, 'missing.json'),
    join(imports, 'fifo.json'),
    join(imports, 'escape.json'),
    join(imports, 'adir'),
    'relative/manifest.json',
  ];
  const started = Date.now();
  const messages = new Set<string>();
  for (const p of paths) {
    const err = await refusal(p);
    expect([err.httpStatus, err.status]).toEqual([400, 'INVALID_ARGUMENT']);
    messages.add(err.message);
  }
  // One message for all: no oracle for which files exist; and the FIFO did not block.
  expect([...messages]).toHaveLength(1);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a file that is not JSON is refused without quoting it, and a symlinked image file is missing', async () => {
  const notJson = await refusal(join(imports, 'notes.json'));
  expect(notJson.message).toBe('Invalid parameter manifest: not valid JSON');
  expect(notJson.message).not.toContain('SECRET');
  const sneaky = await refusal(join(imports, 'img', 'manifest.json'));
  expect(sneaky.message).toBe('Invalid parameter files.root: missing');
  const { images } = await kumod.admin().describeImages({});
  expect(images).toEqual([]);
});
