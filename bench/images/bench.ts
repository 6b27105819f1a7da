// createImage benchmark driver (see run.sh): a stopped instance's 2 GiB root disk (the Debian base
// plus BENCH_DATA_MB written into its overlay) made into a stored image the way the createImage
// task does it — Host.flattenRoot, Host.readFlattened streamed into the local image store while
// hashing, Host.removeFlattened — against `qemu-img convert` of the same overlay plus `cp` into a
// directory, rounds interleaved; then a first launch's image upload from the store against the
// cached case. Creates only kumo-hvtest-kimgb-* objects and removes them at the end.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Host, type ImageManifest, type InstanceSpec } from '@kumo/hypervisor';
import { LocalImageStore } from '../../packages/server/src/drivers/local-image-store.js';
import { loadImage } from '../../test/support/images.js';
import { median } from '../support.js';

const uri = 'qemu:///system';
const prefix = 'kumo-hvtest-kimgb-';
const pool = `${prefix}pool`;
const [debianDir = ''] = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 3);
const dataMB = Number(process.env.BENCH_DATA_MB ?? 1024);
const now = () => performance.now();
const s = (ms: number) => (ms / 1000).toFixed(2);

const work = mkdtempSync(join(tmpdir(), 'kimg-bench-'));
chmodSync(work, 0o755);
const poolDir = join(work, 'pool');
execFileSync('mkdir', ['-m', '755', poolDir]);
const store = LocalImageStore.open(join(work, 'store'));
const plainDir = join(work, 'plain');
execFileSync('mkdir', [plainDir]);
const host = await Host.connect({ uri, pool, namePrefix: prefix, accelerator: 'qemu' });
try {
  await host.ensureDirPool(poolDir);
  const debian = loadImage(debianDir);
  await host.ensureImage(debian.manifest, debian.files);
  await host.ensureNetwork({ name: 'b', mode: 'nat', gateway: '10.77.65.1', prefix: 24 });
  const id = 'i-kimgbench01';
  const spec: InstanceSpec = {
    id,
    hostname: 'bench',
    image: debian.manifest,
    type: { vcpus: 1, memoryMiB: 256, nested: false },
    rootDiskBytes: 2 * 2 ** 30,
    nic: {
      network: 'b',
      mac: '52:54:00:77:65:10',
      ip: '10.77.65.10',
      prefix: 24,
      gateway: '10.77.65.1',
      dns: [],
    },
    login: { authorizedKeys: [] },
  };
  await host.spawn(spec);
  await host.powerOff(id, { gracefulTimeoutMs: 0 });
  const overlay = join(poolDir, `${prefix}${id}-root.qcow2`);
  // What a guest wrote: BENCH_DATA_MB of non-zero data over the base, in the overlay.
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a 256M ${dataMB}M`, overlay], {
    stdio: 'ignore',
  });
  const kumo: number[] = [];
  const flatten: number[] = [];
  const plain: number[] = [];
  const convert: number[] = [];
  const synced: number[] = [];
  let stored = { sha256: '', bytes: 0 };
  for (let i = 0; i < rounds; i++) {
    const tag = `r${i}`;
    let t = now();
    await host.flattenRoot(id, tag);
    flatten.push(now() - t);
    stored = await store.put(await host.readFlattened(id, tag));
    await host.removeFlattened(id, tag);
    kumo.push(now() - t);
    await store.remove(stored.sha256);

    t = now();
    const out = join(work, `plain-${i}.qcow2`);
    execFileSync('qemu-img', ['convert', '-O', 'qcow2', overlay, out]);
    convert.push(now() - t);
    execFileSync('cp', [out, join(plainDir, `${i}.qcow2`)]);
    plain.push(now() - t);
    // The store syncs every object before it is visible; the same durability for the baseline.
    execFileSync('sync', [join(plainDir, `${i}.qcow2`)]);
    synced.push(now() - t);
    rmSync(out);
    rmSync(join(plainDir, `${i}.qcow2`));
  }
  console.log(`createImage of a 2 GiB root disk (Debian base + ${dataMB} MiB written), ${rounds} rounds`);
  console.log(`  kumo  flatten + stream into the store + hash: ${kumo.map(s).join(', ')} s`);
  console.log(`  qemu-img convert + cp:                       ${plain.map(s).join(', ')} s`);
  console.log(`  qemu-img convert + cp + sync of the copy:    ${synced.map(s).join(', ')} s`);
  console.log(
    `  of which flatten (libvirt create-from) ${s(median(flatten))} s vs qemu-img convert ${s(median(convert))} s; ` +
      `stream + hash + store ${s(median(kumo) - median(flatten))} s vs cp ${s(median(plain) - median(convert))} s`,
  );
  console.log(
    `  median ${s(median(kumo))} s vs ${s(median(plain))} s: ${(median(kumo) / median(plain)).toFixed(2)}× ` +
      `(stored object ${(stored.bytes / 2 ** 20).toFixed(0)} MiB); with the copy synced ${s(median(synced))} s: ` +
      `${(median(kumo) / median(synced)).toFixed(2)}×`,
  );

  // First launch of the new image on a host (uploaded from the store, verified) vs cached.
  await host.flattenRoot(id, 'last');
  stored = await store.put(await host.readFlattened(id, 'last'));
  await host.removeFlattened(id, 'last');
  const manifest: ImageManifest = {
    ...debian.manifest,
    name: 'img-kimgbench',
    files: { ...debian.manifest.files, root: { path: 'root.qcow2', ...stored } },
  };
  const files = { ...debian.files, root: () => store.open(stored.sha256) };
  let t = now();
  await host.ensureImage(manifest, files);
  const first = now() - t;
  t = now();
  await host.ensureImage(manifest, files);
  const cached = now() - t;
  console.log(
    `first use of the new image on a host (upload from the store + read-back check): ${s(first)} s; cached: ${cached.toFixed(1)} ms`,
  );
  console.log(
    `  (object ${(statSync(join(work, 'store', 'objects', stored.sha256.slice(0, 2), stored.sha256)).size / 2 ** 20).toFixed(0)} MiB)`,
  );
  await host.destroy(id);
  await host.removeImage(manifest);
  await host.removeImage(debian.manifest);
  await host.removeNetwork('b');
} finally {
  await host.close();
  try {
    execFileSync('virsh', ['-c', uri, 'pool-destroy', pool], { stdio: 'ignore' });
    execFileSync('virsh', ['-c', uri, 'pool-undefine', pool], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  rmSync(work, { recursive: true, force: true });
}
