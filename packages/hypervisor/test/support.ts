// Test support for packages/hypervisor and the guest tier: builds images through images/build.sh,
// creates throw-away pools and networks named kumo-hvtest-*, generates keys and talks SSH to guests.
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
  mkdtempSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client, utils } from 'ssh2';
import { Host, type HostOptions, type ImageFiles, type ImageManifest } from '@kumo/hypervisor';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The libvirt URI tests use. */
export const uri = process.env.KUMO_TEST_LIBVIRT_URI ?? 'qemu:///system';
/** Prefix of every libvirt object the tests create. */
export const prefix = 'kumo-hvtest-';

const run = promisify(execFile);

/** An image built by images/build.sh, with its manifest and local file paths. */
export interface BuiltImage {
  dir: string;
  manifest: ImageManifest;
  files: ImageFiles;
}

/** Loads an image directory (manifest.json + files). */
export function loadImage(dir: string): BuiltImage {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ImageManifest;
  const f = manifest.files;
  const files: ImageFiles = { root: join(dir, f.root.path) };
  if (f.kernel) files.kernel = join(dir, f.kernel.path);
  if (f.initrd) files.initrd = join(dir, f.initrd.path);
  return { dir, manifest, files };
}

/**
 * The tiers run inside a network namespace with no way out, but a fresh build must reach Debian's
 * mirror: run the build in the network namespace of the nearest ancestor outside ours (the shell
 * that ran `ip netns exec`). Empty when we are not in a separate namespace.
 */
function outsideNamespace(): string[] {
  try {
    const mine = readlinkSync('/proc/self/ns/net');
    let pid = process.ppid;
    while (pid > 1) {
      if (readlinkSync(`/proc/${pid}/ns/net`) !== mine) return ['nsenter', '-t', String(pid), '-n', '--'];
      pid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    }
  } catch {
    /* cannot tell: build where we are */
  }
  return [];
}

/** Builds (or finds in the cache) an image with images/build.sh. */
export async function buildImage(name: 'tiny' | 'debian'): Promise<BuiltImage> {
  const [cmd, ...args] = [...outsideNamespace(), 'bash', join(repoRoot, 'images/build.sh'), name];
  const { stdout } = await run(cmd, args, { maxBuffer: 1 << 20 });
  return loadImage(stdout.trim().split('\n').pop() as string);
}

/**
 * Makes a variant of the tiny image whose root disk says KUMO_IMAGE=<name>, for rebuild tests
 * (same kernel and initrd, different root filesystem). Cached beside the tiny image.
 */
export function tinyVariant(tiny: BuiltImage, name: string): BuiltImage {
  const dir = `${tiny.dir}-${name}`;
  try {
    return loadImage(dir);
  } catch {
    /* build below */
  }
  const work = mkdtempSync(join(tmpdir(), 'kumo-variant-'));
  try {
    mkdirSync(join(work, 'root/etc'), { recursive: true });
    writeFileSync(
      join(work, 'root/etc/os-release'),
      `NAME="Kumo tiny variant"\nID=kumo-tiny\nKUMO_IMAGE=${name}\n`,
    );
    const out = `${dir}.tmp`;
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    execFileSync('mkfs.ext4', [
      '-q',
      '-F',
      '-L',
      'rootfs',
      '-E',
      'root_owner=0:0',
      '-d',
      join(work, 'root'),
      join(work, 'root.raw'),
      '64M',
    ]);
    execFileSync('qemu-img', [
      'convert',
      '-c',
      '-O',
      'qcow2',
      join(work, 'root.raw'),
      join(out, 'root.qcow2'),
    ]);
    execFileSync('cp', [tiny.files.kernel as string, tiny.files.initrd as string, out]);
    const sha = (p: string): string => execFileSync('sha256sum', [p]).toString().split(' ')[0] as string;
    const size = (p: string): number => Number(execFileSync('stat', ['-c', '%s', p]).toString().trim());
    const entry = (p: string) => ({ path: p.split('/').pop() as string, bytes: size(p), sha256: sha(p) });
    const m: ImageManifest = {
      ...tiny.manifest,
      name,
      files: {
        root: entry(join(out, 'root.qcow2')),
        kernel: entry(join(out, 'vmlinuz')),
        initrd: entry(join(out, 'initrd.img')),
      },
    };
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(m, null, 2));
    rmSync(dir, { recursive: true, force: true });
    execFileSync('mv', [out, dir]);
    return loadImage(dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs virsh against the test libvirtd and returns stdout. */
export function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-c', uri, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A throw-away pool directory and a Host on it, with every object named kumo-hvtest-<tag>-*. */
export interface Fixture {
  host: Host;
  poolName: string;
  poolDir: string;
  tag: string;
  /** Removes the pool (and every volume in it) and closes the host. */
  cleanup(): Promise<void>;
}

/**
 * Host workaround (belongs in scripts/libvirtd-up.sh): without udev, /dev/kvm stays root-only, so
 * libvirt probes QEMU with KVM, then finds KVM inaccessible to the qemu user, declares its capability
 * cache stale and re-probes QEMU on every lookup — ~90 s per domain start. Giving /dev/kvm to the
 * kvm group, as udev would, keeps the cache valid. Guests still run under TCG where KVM is unusable.
 */
export function fixKvmDeviceAccess(): void {
  try {
    if (statSync('/dev/kvm').mode & 0o060) return;
    execFileSync('chgrp', ['kvm', '/dev/kvm']);
    chmodSync('/dev/kvm', 0o660);
  } catch {
    /* no /dev/kvm, or not root: nothing to fix */
  }
}

/** Sets up a pool in a temp directory and connects a Host (accelerator qemu unless given). */
export async function fixture(tag: string, extra: Partial<HostOptions> = {}): Promise<Fixture> {
  fixKvmDeviceAccess();
  const poolDir = mkdtempSync(join(tmpdir(), `kumo-hvtest-${tag}-`));
  chmodSync(poolDir, 0o755); // QEMU runs as libvirt-qemu and must reach the volumes
  const poolName = `${prefix}${tag}-pool`;
  // The pool is defined before connecting so the accelerator probe (when asked for) can use it.
  const bootstrap = await Host.connect({
    uri,
    pool: poolName,
    namePrefix: `${prefix}${tag}-`,
    accelerator: 'qemu',
  });
  await bootstrap.ensureDirPool(poolDir);
  await bootstrap.close();
  const host = await Host.connect({
    uri,
    pool: poolName,
    namePrefix: `${prefix}${tag}-`,
    accelerator: 'qemu',
    ...extra,
  });
  return {
    host,
    poolName,
    poolDir,
    tag,
    async cleanup() {
      for (const v of virsh('vol-list', poolName).split('\n').slice(2)) {
        const name = v.trim().split(/\s+/)[0];
        if (name) virsh('vol-delete', '--pool', poolName, name);
      }
      await host.removePool();
      await host.close();
      rmSync(poolDir, { recursive: true, force: true });
    },
  };
}

/** A fresh ed25519 keypair in OpenSSH format. */
export function keypair(comment = 'kumo-hvtest'): { privateKey: string; publicKey: string } {
  // ssh2 now and then (about 1 in 300 here) writes an ed25519 key that its own parser then calls
  // malformed; take the next one rather than fail a guest test on it.
  for (;;) {
    const k = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(k.private) instanceof Error))
      return { privateKey: k.private, publicKey: k.public.trim() };
  }
}

/** Runs one command over SSH and returns its stdout (rejects on connection errors). */
export function sshExec(
  ip: string,
  user: string,
  privateKey: string,
  command: string,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const c = new Client();
    const timer = setTimeout(() => {
      c.end();
      reject(new Error(`ssh ${ip}: timeout`));
    }, timeoutMs);
    c.on('ready', () => {
      c.exec(command, (err, stream) => {
        if (err) {
          clearTimeout(timer);
          c.end();
          return reject(err);
        }
        let out = '';
        stream.on('data', (d: Buffer) => (out += d.toString()));
        stream.stderr.on('data', () => undefined);
        stream.on('close', () => {
          clearTimeout(timer);
          c.end();
          resolvePromise(out);
        });
      });
    });
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    c.connect({
      host: ip,
      port: 22,
      username: user,
      privateKey,
      readyTimeout: 5000,
      hostVerifier: () => true,
    });
  });
}

/** Polls SSH until a command succeeds; resolves with its output and the seconds waited. */
export async function waitSsh(
  ip: string,
  user: string,
  privateKey: string,
  timeoutMs: number,
  command = 'true',
): Promise<{ out: string; seconds: number }> {
  const start = Date.now();
  let last: unknown;
  while (Date.now() - start < timeoutMs) {
    try {
      const out = await sshExec(ip, user, privateKey, command, 8000);
      return { out, seconds: (Date.now() - start) / 1000 };
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no SSH to ${ip} within ${timeoutMs} ms: ${String(last)}`);
}

/** Everything on the host a spawn may touch, as virsh prints it, to compare before and after. */
export function hostSnapshot(poolName: string, networks: string[]): string {
  const parts = [
    virsh('list', '--all', '--name')
      .split('\n')
      .filter((l) => l.startsWith(prefix))
      .sort()
      .join('\n'),
    virsh('vol-list', poolName)
      .split('\n')
      .slice(2)
      .map((l) => l.trim())
      .filter(Boolean)
      .sort()
      .join('\n'),
    ...networks.map((n) => virsh('net-dumpxml', '--inactive', n)),
  ];
  return parts.join('\n----\n');
}

/** A test subnet: gateway 10.77.<n>.1/24, DHCP range .200–.250. */
export function subnet(n: number, name: string) {
  return {
    spec: {
      name,
      mode: 'nat' as const,
      gateway: `10.77.${n}.1`,
      prefix: 24,
      dhcpRange: { start: `10.77.${n}.200`, end: `10.77.${n}.250` },
    },
    ip: (host: number) => `10.77.${n}.${host}`,
    mac: (host: number) =>
      `52:54:00:77:${n.toString(16).padStart(2, '0')}:${host.toString(16).padStart(2, '0')}`,
    gateway: `10.77.${n}.1`,
  };
}

/** Another Host on a fixture's pool and prefix, with different options (e.g. a fault injector). */
export function connectAgain(fx: Fixture, extra: Partial<HostOptions>): Promise<Host> {
  return Host.connect({
    uri,
    pool: fx.poolName,
    namePrefix: `${prefix}${fx.tag}-`,
    accelerator: 'qemu',
    ...extra,
  });
}

/**
 * sshExec with retries on connection errors: right after first boot, cloud-init may restart sshd
 * (new host keys, new config) and drop a session that had just been accepted.
 */
export async function sshRetry(
  ip: string,
  user: string,
  privateKey: string,
  command: string,
  attempts = 10,
): Promise<string> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await sshExec(ip, user, privateKey, command, 30_000);
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  throw last;
}
