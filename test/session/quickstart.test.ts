// The first-run session as a newcomer meets it: runs scripts/quickstart.sh (tiny image, a data dir,
// port, namespace and home of its own), takes the commands it prints between its markers and runs
// them exactly as printed in one bash, from this machine's own shell (not inside the namespace),
// then stops the quickstart with `kill PID` and checks that it stopped what it started.
// Runs outside the test environment: the quickstart uses the machine's libvirtd.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { freePort } from '../support/ports.js';

jest.setTimeout(30 * 60_000);

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kumo-session-'));
// The embedded PostgreSQL runs as user postgres and must reach the data dir inside.
chmodSync(work, 0o755);
const home = join(work, 'home');
mkdirSync(home);
const ns = process.env.KUMO_SESSION_NETNS ?? 'kumo-qs';
let quickstart: ChildProcess | undefined;
let printed = '';
let stderr = '';
let libvirtdBefore: string | undefined;
const PREFIX = 'kumoqs-';

function libvirtdPid(): string | undefined {
  if (!existsSync('/run/libvirtd.pid')) return undefined;
  const pid = readFileSync('/run/libvirtd.pid', 'utf8').trim();
  return spawnSync('kill', ['-0', pid]).status === 0 ? pid : undefined;
}

beforeAll(() => {
  libvirtdBefore = libvirtdPid();
  // A crashed earlier run may have left its cloud's networks behind.
  if (libvirtdBefore) removeLibvirtObjects();
});

/** Removes every libvirt object of this run's cloud (prefix kumoqs-) from the machine's libvirtd. */
function removeLibvirtObjects(): void {
  const virsh = (...args: string[]) =>
    spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' }).stdout ?? '';
  const ours = (list: string) => list.split('\n').filter((n) => n.startsWith(PREFIX));
  for (const d of ours(virsh('list', '--all', '--name'))) {
    virsh('destroy', d);
    virsh('undefine', d, '--nvram');
  }
  for (const n of ours(virsh('net-list', '--all', '--name'))) {
    virsh('net-destroy', n);
    virsh('net-undefine', n);
  }
  for (const p of ours(virsh('pool-list', '--all', '--name'))) {
    virsh('pool-destroy', p);
    virsh('pool-undefine', p);
  }
}

afterAll(() => {
  // A quickstart that did not stop by itself takes its whole process group (kumod, PostgreSQL).
  if (quickstart?.pid && quickstart.exitCode === null) {
    try {
      process.kill(-quickstart.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  removeLibvirtObjects();
  // The OVN daemons it started (central, and the chassis beside libvirtd) go too.
  spawnSync(
    'bash',
    ['scripts/ovn-down.sh', join(work, 'data', 'ovn', 'chassis'), join(work, 'data', 'ovn', 'central')],
    {
      cwd: REPO,
    },
  );
  // The libvirtd this run started (none was running before) goes with it, and so do its guests'
  // namespace, veth and route.
  const started = libvirtdPid();
  if (started && started !== libvirtdBefore) spawnSync('kill', [started]);
  if (ns !== 'kumo-test') {
    spawnSync('ip', ['link', 'del', `${ns.slice(0, 12)}-h`]);
    spawnSync('ip', ['route', 'del', '198.18.78.0/24']);
    spawnSync('ip', ['netns', 'del', ns]);
  }
  rmSync(work, { recursive: true, force: true });
});

/** Resolves with the printed text once `marker` appears, or rejects when the quickstart exits. */
function printedUntil(marker: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${marker}" within ${timeoutMs} ms:\n${printed}`)),
      timeoutMs,
    );
    const check = () => {
      if (printed.includes(marker)) {
        clearTimeout(timer);
        resolve(printed);
      }
    };
    quickstart!.stdout!.on('data', check);
    quickstart!.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`quickstart exited ${code} before "${marker}":\n${printed}\n${stderr}`));
    });
    check();
  });
}

test('the quickstart’s printed commands work exactly as printed, and kill stops it', async () => {
  const dataDir = join(work, 'data');
  const port = await freePort();
  quickstart = spawn('bash', ['scripts/quickstart.sh'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      KUMO_DATA_DIR: dataDir,
      KUMO_LISTEN: `127.0.0.1:${port}`,
      KUMO_NETNS: ns,
      KUMO_SUBNET_BLOCK: '10.242',
      KUMO_HOST_LINK: '169.254.78',
      KUMO_EIP_NET: '198.18.78',
      KUMO_IMAGES: 'tiny',
      KUMO_LOG: join(work, 'kumod.log'),
      KUMO_LIBVIRT_PREFIX: PREFIX,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed run can be cleaned up whole.
    detached: true,
  });
  quickstart.stdout!.setEncoding('utf8').on('data', (d: string) => (printed += d));
  quickstart.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));

  const text = await printedUntil('# --- end ---', 20 * 60_000);
  const block = text.slice(text.indexOf('# --- commands ---'), text.indexOf('# --- end ---'));
  const commands = block
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  expect(commands[0]).toMatch(/^export PATH=/);
  expect(commands.some((c) => c.startsWith('kumo instance ssh'))).toBe(true);
  expect(commands.join('\n')).not.toMatch(/<[a-z-]+>|…/); // nothing to fill in by hand

  // One shell, the lines exactly as printed; stdin is what the user types into the SSH session.
  const script = [
    'set -e',
    ...commands.flatMap((c) => [`echo "+ ${c.replace(/["$`\\]/g, '\\$&')}" >&2`, c]),
  ].join('\n');
  const session = spawnSync('bash', ['-c', script], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home },
    input: 'hostname\ncat /mnt/root/etc/os-release\nexit\n',
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (session.status !== 0) {
    throw new Error(
      `session failed (exit ${session.status}):\n${session.stderr}\n${session.stdout}\nkumod log:\n${readFileSync(join(work, 'kumod.log'), 'utf8').slice(-4000)}`,
    );
  }
  // What the user saw inside the guest: its hostname and the tiny image's identity.
  expect(session.stdout).toMatch(/^demo$/m);
  expect(session.stdout).toContain('ID=kumo-tiny');
  // The private key is where the printed command put it, readable only by its owner.
  expect(readFileSync(join(home, '.kumo', 'demo.pem'), 'utf8')).toContain('PRIVATE KEY');

  // `kill PID` stops kumod and its PostgreSQL and says so.
  const postgres = spawnSync('pgrep', ['-f', `${dataDir}/postgres`], { encoding: 'utf8' }).stdout.trim();
  expect(postgres).not.toBe('');
  const kumod = spawnSync('pgrep', ['-P', String(quickstart.pid), '-f', 'dist/main.js'], {
    encoding: 'utf8',
  }).stdout.trim();
  expect(kumod).toMatch(/^\d+$/);
  const exited = new Promise<number | null>((r) => quickstart!.once('exit', (code) => r(code)));
  quickstart.kill('SIGTERM');
  expect(await exited).toBe(143);
  expect(stderr).toContain('quickstart: stopped');
  expect(spawnSync('pgrep', ['-f', `${dataDir}/postgres`]).status).toBe(1);
  expect(spawnSync('kill', ['-0', kumod]).status).not.toBe(0);
});
