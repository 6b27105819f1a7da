// Cloud system disks on rbd (see root-clone.sh): the time to make one instance's root disk from
// an image through the rbd backend — the first one (the image's base imported into the pool:
// qemu-img convert to raw, rbd import, snapshot) and every later one (a copy-on-write clone of
// the base, grown to 40 GiB) — against, in the same run, a full copy of the same raw image per
// root disk (`rbd import`, what a backend without clones does for each instance). The image is
// the Debian build (2 GiB virtual, ~160 MiB of data) when present, else the tiny one.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RbdBackend } from '@kumo/storage';
import { load, machine, median } from '../support.js';

const rounds = Number(process.env.ROUNDS ?? 5);
const cache = '/var/cache/kumo/images';
const dir = ['debian', 'tiny']
  .map((n) =>
    execFileSync('ls', [cache])
      .toString()
      .split('\n')
      .find((d) => d.startsWith(`${n}-`) && !d.includes('variant')),
  )
  .find((d): d is string => Boolean(d));
if (!dir || !process.env.CEPH_CONF) throw new Error('needs the test environment (Ceph) and a built image');
const qcow2 = join(cache, dir, 'root.qcow2');
const key = createHash('sha256').update(readFileSync(qcow2)).digest('hex');
const pool = `kbench-root-${process.pid}`;
const ceph = (...a: string[]) => execFileSync('ceph', a, { timeout: 60_000 }).toString();
const rbdCli = (...a: string[]) => execFileSync('rbd', a, { timeout: 600_000 }).toString();
ceph('osd', 'pool', 'create', pool, '8', '8');
ceph('osd', 'pool', 'application', 'enable', pool, 'rbd');
ceph('auth', 'get-or-create', `client.${pool}`, 'mon', 'profile rbd', 'osd', `profile rbd pool=${pool}`);
const work = mkdtempSync(join(tmpdir(), 'kumo-bench-root-'));
const [host, port] = (process.env.CEPH_MON_ADDR ?? '127.0.0.1:3300').split(':') as [string, string];
const backend = new RbdBackend({
  poolName: pool,
  cephPool: pool,
  user: pool,
  key: ceph('auth', 'print-key', `client.${pool}`).trim(),
  monitors: [{ host, port: Number(port) }],
});
const origin = { image: { key, format: 'qcow2' as const, open: async () => createReadStream(qcow2) } };
const SIZE = 40 * 2 ** 30;
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

try {
  const loadBefore = load();
  const first = await time(() => backend.ensureVolume('vol-first', SIZE, { id: '', uri: '' }, origin));
  const raw = join(work, 'root.raw');
  execFileSync('qemu-img', ['convert', '-q', '-f', 'qcow2', '-O', 'raw', qcow2, raw]);
  const clones: number[] = [];
  const copies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    clones.push(await time(() => backend.ensureVolume(`vol-c${i}`, SIZE, { id: '', uri: '' }, origin)));
    copies.push(
      await time(async () => {
        rbdCli('import', '--no-progress', raw, `${pool}/copy-${i}`);
        rbdCli('resize', '--no-progress', '--size', '40G', `${pool}/copy-${i}`);
      }),
    );
  }
  const c = median(clones);
  const f = median(copies);
  console.log(
    `root-clone ${dir}: first root (base import) ${(first / 1000).toFixed(2)} s; next roots: clone ` +
      `${c.toFixed(0)} ms vs full copy ${f.toFixed(0)} ms per root (median of ${rounds}) = ` +
      `${(c / f).toFixed(3)}× · ${machine()} · load ${loadBefore}`,
  );
} finally {
  await backend.close();
  ceph('osd', 'pool', 'rm', pool, pool, '--yes-i-really-really-mean-it');
  ceph('auth', 'rm', `client.${pool}`);
  rmSync(work, { recursive: true, force: true });
}
