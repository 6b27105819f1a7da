// Guest boot benchmark driver (see run.sh): spawn→SSH through Host versus `virsh define`+`virsh start`
// of the same domain XML with the same SSH poll, rounds interleaved; then overlay creation times.
// It creates only kumo-hvtest-bench-* objects and removes them at the end.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ssh2 from 'ssh2';
import { Host, domainFromXml, domainToXml, type InstanceSpec } from '@kumo/hypervisor';
import { LibvirtClient } from '@kumo/libvirt';
import { loadImage, type BuiltImage } from '../../test/support/images.js';
import { pollSsh } from '../../test/support/ssh.js';
import { virshAt } from '../../test/support/virsh.js';
import { median } from '../support.js';

const { utils } = ssh2;
const uri = 'qemu:///system';
const prefix = 'kumo-hvtest-bench-';
const pool = `${prefix}pool`;
const [tinyDir = '', debianDir = ''] = process.argv.slice(2);
const tinyRounds = Number(process.env.TINY_ROUNDS ?? 3);
const debianRounds = Number(process.env.DEBIAN_ROUNDS ?? 1);

const virsh = virshAt(uri);
const now = () => performance.now();
// The same poll for both paths: try an SSH login every 100 ms until it works.
const waitSsh = (ip: string, user: string, key: string, timeoutMs: number) =>
  pollSsh(ip, user, key, timeoutMs);

const poolDir = mkdtempSync(join(tmpdir(), 'kumo-hvtest-bench-'));
chmodSync(poolDir, 0o755);
const setup = await Host.connect({ uri, pool, namePrefix: prefix, accelerator: 'qemu' });
await setup.ensureDirPool(poolDir);
await setup.close();
let steps: Record<string, number[]> | null = null; // step → durations (ms) while a timed spawn runs
const host = await Host.connect({
  uri,
  pool,
  namePrefix: prefix,
  accelerator: 'qemu',
  onStep: (name, ms) => void (steps && (steps[name] ??= []).push(ms)),
});
await host.ensureNetwork({ name: 'b', mode: 'nat', gateway: '10.77.64.1', prefix: 24 });
const key = utils.generateKeyPairSync('ed25519', { comment: 'bench' });

async function bench(
  label: string,
  image: BuiltImage,
  type: InstanceSpec['type'],
  user: string,
  rounds: number,
  diskBytes: number,
  sshTimeout: number,
): Promise<void> {
  await host.ensureImage(image.manifest, image.files);
  const ip = '10.77.64.10';
  const spec = (id: string): InstanceSpec => ({
    id,
    hostname: 'bench',
    image: image.manifest,
    type,
    rootDiskBytes: diskBytes,
    nic: {
      network: 'b',
      mac: '52:54:00:77:64:10',
      ip,
      prefix: 24,
      gateway: '10.77.64.1',
      dns: ['10.77.64.1'],
    },
    login: { authorizedKeys: [key.public.trim()] },
  });
  const kumo: number[] = [];
  const kumoSpawn: number[] = [];
  const plain: number[] = [];
  const plainStart: number[] = [];
  const stepTimes: Record<string, number[]> = {};
  for (let i = 0; i < rounds; i++) {
    // Kumo: spawn (reservation, overlay, seed build + upload, define, start) then SSH.
    const id = `${label}k${i}`;
    steps = stepTimes;
    let t = now();
    await host.spawn(spec(id));
    kumoSpawn.push(now() - t);
    steps = null;
    await waitSsh(ip, user, key.private, sshTimeout);
    kumo.push(now() - t);
    // Keep this instance's XML and seed for the virsh round, with a fresh overlay made untimed.
    const xmlPath = join(poolDir, `${id}.xml`);
    const cfg = domainFromXml(virsh('dumpxml', '--inactive', '--security-info', `${prefix}${id}`));
    await host.powerOff(id, { gracefulTimeoutMs: 0 });
    virsh('undefine', `${prefix}${id}`);
    const overlay = `${prefix}${id}-plain.qcow2`;
    const base = join(
      poolDir,
      `${prefix}img-${image.manifest.name}-${image.manifest.files.root.sha256.slice(0, 12)}.root`,
    );
    virsh(
      'vol-create-as',
      pool,
      overlay,
      String(diskBytes),
      '--format',
      'qcow2',
      '--backing-vol',
      base,
      '--backing-vol-format',
      'qcow2',
    );
    cfg.name = `${prefix}${id}-plain`;
    delete cfg.uuid;
    const root = cfg.disks.find((d) => d.target === 'vda');
    if (!root) throw new Error(`${id}: no vda disk in the domain XML`);
    root.path = join(poolDir, overlay);
    writeFileSync(xmlPath, domainToXml(cfg));
    // Plain virsh: define + start the same XML, same SSH poll.
    t = now();
    virsh('define', xmlPath);
    virsh('start', cfg.name);
    plainStart.push(now() - t);
    await waitSsh(ip, user, key.private, sshTimeout);
    plain.push(now() - t);
    virsh('destroy', cfg.name);
    virsh('undefine', cfg.name);
    virsh('vol-delete', '--pool', pool, overlay);
    await host.destroy(id);
  }
  const s = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  const overhead = median(kumo) - median(plain);
  console.log(`\n${label}: ${rounds} round(s)`);
  console.log(`  kumo  spawn→SSH  s: ${s(kumo)}   (spawn() alone: ${s(kumoSpawn)})`);
  console.log(`  virsh start→SSH  s: ${s(plain)}   (define+start alone: ${s(plainStart)})`);
  console.log(
    `  median kumo ${(median(kumo) / 1000).toFixed(2)} s, virsh ${(median(plain) / 1000).toFixed(2)} s, ` +
      `overhead ${(overhead / 1000).toFixed(2)} s (spawn() − virsh define+start: ${((median(kumoSpawn) - median(plainStart)) / 1000).toFixed(2)} s)`,
  );
  const breakdown = Object.entries(stepTimes).map(([k, v]) => `${k} ${median(v).toFixed(0)}`);
  console.log(`  spawn() steps, median ms: ${breakdown.join(', ')}`);
  // What Kumo adds before the guest starts running (the reservation runs while it boots).
  const preStart = Object.entries(stepTimes)
    .filter(([k]) => k !== 'start' && k !== 'reserve-address')
    .reduce((a, [, v]) => a + median(v), 0);
  console.log(`  Kumo steps before start (critical path): ${preStart.toFixed(0)} ms`);
}

async function overlayBench() {
  const lv = await LibvirtClient.connect(uri);
  const p = await lv.storagePoolLookupByName(pool);
  for (const gib of [2, 20]) {
    const base = `${prefix}base-${gib}g.raw`;
    // A fully allocated raw base (libvirt fallocates it): the overlay only records its path, so the
    // time must not depend on how big it is.
    virsh('vol-create-as', pool, base, `${gib}G`, '--allocation', `${gib}G`, '--format', 'raw');
    const basePath = join(poolDir, base);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const name = `${prefix}ov-${gib}-${i}.qcow2`;
      const xml = `<volume><name>${name}</name><capacity unit='bytes'>${(gib + 10) * 1024 ** 3}</capacity><target><format type='qcow2'/></target><backingStore><path>${basePath}</path><format type='raw'/></backingStore></volume>`;
      const t = now();
      const v = await lv.storageVolCreateXml(p, xml);
      times.push(now() - t);
      await lv.storageVolDelete(v);
    }
    const size = Number(execFileSync('du', ['-B1', basePath], { encoding: 'utf8' }).split('\t')[0]);
    console.log(
      `overlay on ${gib} GiB base (${(size / 1024 ** 3).toFixed(2)} GiB on disk): median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over 10`,
    );
    virsh('vol-delete', '--pool', pool, base);
  }
  await lv.close();
}

try {
  await bench(
    'tiny',
    loadImage(tinyDir),
    { vcpus: 1, memoryMiB: 256 },
    'root',
    tinyRounds,
    1024 ** 3,
    120_000,
  );
  if (debianRounds > 0)
    await bench(
      'debian',
      loadImage(debianDir),
      { vcpus: 2, memoryMiB: 1024 },
      'debian',
      debianRounds,
      5 * 1024 ** 3,
      600_000,
    );
  console.log('');
  await overlayBench();
} finally {
  for (const i of await host.list()) await host.destroy(i.id);
  for (const d of virsh('list', '--all', '--name')
    .split('\n')
    .filter((n) => n.startsWith(prefix))) {
    try {
      virsh('destroy', d);
    } catch {
      /* not running */
    }
    virsh('undefine', d);
  }
  for (const v of virsh('vol-list', pool).split('\n')) {
    const name = v.trim().split(/\s+/)[0];
    if (name) virsh('vol-delete', '--pool', pool, name);
  }
  await host.removeNetwork('b');
  await host.removePool();
  await host.close();
  rmSync(poolDir, { recursive: true, force: true });
}
// Stray SSH sockets from timed-out polls can keep the event loop alive after the report.
process.exit(0);
