// The serial console through the built `kumo` command on real tiny guests: `instance console --log`
// shows the boot, and `instance console` attached through a pseudo-terminal (script(1)) logs in
// as root with the instance's password, runs a command that SSH then finds, and leaves on Ctrl-].
// A guest created without a password shows the login prompt and refuses every login. Both guests
// boot together (a TCG boot costs about a minute).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import type { KumoClient } from '@kumo/client';
import { newAccount } from '../../support/kumod.js';
import { opensshPrivateKey, sshExec, startGuestCloud, waitSsh, type GuestCloud } from './support.js';

jest.setTimeout(10 * 60_000);

const KUMO = fileURLToPath(new URL('../../../packages/cli/dist/main.js', import.meta.url));
const PASSWORD = 'kcon-serial7';
const work = mkdtempSync(join(tmpdir(), 'kcon-serial-'));
let cloud: GuestCloud;
let user: KumoClient;
let env: Record<string, string>;
let withPw: { id: string; ip: string };
let noPw: { id: string };
let key: string;

beforeAll(async () => {
  cloud = await startGuestCloud('kconser', '10.214');
  const admin = {
    KUMO_ACCESS_KEY: cloud.kumod.credentials.accessKey,
    KUMO_SECRET_KEY: cloud.kumod.credentials.secretKey,
    KUMO_ENDPOINT: cloud.kumod.endpoint,
  };
  const config = join(work, 'user.json');
  const made = kumo(admin, 'account', 'create', 'serial-user', '--out', config);
  if (made.status !== 0) throw new Error(made.stderr);
  env = { KUMO_CONFIG: config, KUMO_ENDPOINT: cloud.kumod.endpoint };
  // The CLI's account owns the guests; this one is a stranger to them.
  user = await newAccount(cloud.kumod, 'serial-api');
  const kp = JSON.parse(kumo(env, '-o', 'json', 'keypair', 'create', 'kcon-ser').stdout) as {
    privateKey: string;
  };
  key = opensshPrivateKey(kp.privateKey);
  const create = (name: string, password?: string) => {
    const r = kumo(
      env,
      ...['instance', 'create', '--name', name, '--az', 'local-1a', '--type', 't.n1.nano'],
      ...['--image', cloud.images.tiny, '--key', 'kcon-ser'],
      ...(password ? ['--password', password] : []),
      ...['--elastic-ip', '200'],
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  const a = create('kcon-ser-1', PASSWORD);
  const b = create('kcon-ser-2');
  await Promise.all([waitRunning(a), waitRunning(b)]);
  const shown = JSON.parse(kumo(env, '-o', 'json', 'instance', 'show', a).stdout) as {
    elasticIpAddress: string;
  };
  withPw = { id: a, ip: shown.elasticIpAddress };
  noPw = { id: b };
  await waitSsh(withPw.ip, 'root', key, 150_000);
}, 6 * 60_000);

afterAll(async () => {
  await cloud?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

async function waitRunning(id: string): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const r = kumo(env, '-o', 'json', 'instance', 'show', id);
    if (r.status === 0 && (JSON.parse(r.stdout) as { status: string }).status === 'running') return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${id} did not reach running`);
}

function kumo(e: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [KUMO, ...args], {
    env: { PATH: process.env.PATH, HOME: work, ...e },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `kumo instance console ID` on a pseudo-terminal, with what it printed so far. */
function attach(id: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const cmd = [process.execPath, KUMO, 'instance', 'console', id].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: work, TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function until(what: () => string, re: RegExp, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(what())) {
    if (Date.now() > end) throw new Error(`no ${re} within ${ms} ms; saw:\n${what().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('console --log shows the guest’s boot; a stranger gets 404', () => {
  const log = kumo(env, 'instance', 'console', withPw.id, '--log');
  expect(log.status).toBe(0);
  expect(log.stdout).toContain('kumo-tiny: seed on /dev/vd');
  expect(log.stdout).toContain('kumo-tiny: ready: kcon-ser-1');
  return user.request('GET', `/v1/regions/local-1/instances/${withPw.id}/consoleLog`).then(
    () => expect('a stranger read the log').toBe(''),
    (e: { httpStatus: number }) => expect(e.httpStatus).toBe(404),
  );
});

test('the interactive console logs in as root, runs a command, and Ctrl-] leaves', async () => {
  const s = attach(withPw.id);
  await until(s.output, /Ctrl-\]/, 20_000);
  s.child.stdin!.write('\r');
  await until(s.output, /login: $/m, 20_000);
  s.child.stdin!.write('root\r');
  await until(s.output, /Password: $/m, 20_000);
  s.child.stdin!.write(`${PASSWORD}\r`);
  // ash's prompt, followed by its cursor-position query.
  await until(s.output, /~ # /, 20_000);
  s.child.stdin!.write('touch /tmp/kcon-serial-proof\r');
  await new Promise((r) => setTimeout(r, 1500));
  s.child.stdin!.write('exit\r\x1d');
  expect(await s.exited).toBe(0);
  expect(await sshExec(withPw.ip, 'root', key, 'ls /tmp', 15_000)).toContain('kcon-serial-proof');
});

test('without an instance password the console shows the prompt and refuses root', async () => {
  const s = attach(noPw.id);
  await until(s.output, /Ctrl-\]/, 20_000);
  s.child.stdin!.write('\r');
  await until(s.output, /login: $/m, 30_000);
  s.child.stdin!.write('root\r');
  await until(s.output, /Password: $/m, 20_000);
  s.child.stdin!.write('anything\r');
  // Refused: back at a fresh login prompt, never a shell.
  await until(s.output, /Password: [\s\S]*login: $/m, 20_000);
  expect(s.output()).not.toMatch(/~ # /);
  s.child.stdin!.write('\x1d');
  expect(await s.exited).toBe(0);
});
