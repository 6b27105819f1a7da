// The built `kumo` command driving a real guest on the test namespace's libvirtd: instance create
// --wait with progress, `instance ssh` with the key file from `keypair create --out`, events, stop
// --wait and delete --wait.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { startGuestCloud, virsh, type GuestCloud } from './support.js';

jest.setTimeout(6 * 60_000);

const KUMO = fileURLToPath(new URL('../../../packages/cli/dist/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kumo-cli-guest-'));
// An empty home, so ~/.kumo/known_hosts is this test's own.
const home = mkdtempSync(join(work, 'home-'));

let cloud: GuestCloud;
let admin: Record<string, string>;
let user: Record<string, string>;

beforeAll(async () => {
  cloud = await startGuestCloud('apicli', '10.236');
  admin = {
    KUMO_ACCESS_KEY: cloud.kumod.credentials.accessKey,
    KUMO_SECRET_KEY: cloud.kumod.credentials.secretKey,
    KUMO_ENDPOINT: cloud.kumod.endpoint,
  };
  const config = join(work, 'user.json');
  ok(kumo(admin, 'account', 'create', 'cli-user', '--out', config));
  user = { KUMO_CONFIG: config, KUMO_ENDPOINT: cloud.kumod.endpoint };
}, 5 * 60_000);

afterAll(async () => {
  await cloud?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kumo args…` with only PATH, HOME and the given variables; bounded by `timeoutMs`. */
function kumo(env: Record<string, string>, ...args: string[]): Run {
  return kumoWithin(30_000, env, ...args);
}

function kumoWithin(timeoutMs: number, env: Record<string, string>, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [KUMO, ...args], {
    env: { PATH: process.env.PATH, HOME: home, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stdout of a run that must succeed; a failure shows what kumo said. */
function ok(r: Run): string {
  if (r.status !== 0) throw new Error(`kumo exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

test('create --wait → ssh -- hostname → events → stop --wait → delete --wait', async () => {
  const key = join(work, 'id_cli');
  ok(kumo(user, 'keypair', 'create', 'cli-key', '--out', key));

  const created = kumoWithin(
    200_000,
    user,
    ...['instance', 'create', '--name', 'cli-1', '--az', 'local-1a', '--type', 't.n1.nano'],
    ...[
      '--image',
      cloud.images.tiny,
      '--key',
      'cli-key',
      '--elastic-ip',
      '100',
      '--wait',
      '--timeout',
      '180',
    ],
  );
  if (created.status !== 0) {
    // The action log (admin) says why a guest failed to spawn.
    const events = kumo(admin, 'instance', 'events', created.stdout.trim()).stdout;
    throw new Error(`create --wait failed:\n${created.stderr}\n${events}`);
  }
  const id = ok(created).trim();
  expect(id).toMatch(/^i-[a-z0-9]+$/);
  // Progress: the first sighting, then transitions, ending in running, each with elapsed seconds.
  const progress = created.stderr.trim().split('\n');
  expect(progress[0]).toMatch(new RegExp(`^${id}: pending \\(\\d+\\.\\d s\\)$`));
  // …then `running`, then the guest's SSH server answering.
  expect(progress[progress.length - 2]).toMatch(new RegExp(`^${id}: \\w+ → running \\(\\d+\\.\\d s\\)$`));
  expect(progress[progress.length - 1]).toMatch(
    new RegExp(`^${id}: ssh answers on [\\d.]+:22 \\(\\d+\\.\\d s\\)$`),
  );

  const shown = ok(kumo(user, 'instance', 'show', id));
  expect(shown).toMatch(/^Status:\s+running$/m);
  expect(shown).toMatch(/^Private IP:\s+10\.236\.\d+\.\d+$/m);
  const ip = /^Elastic IP:\s+(198\.18\.246\.\d+)$/m.exec(shown)?.[1];
  expect(ip).toBeDefined();

  // --wait means the guest is reachable: SSH works at once, no retries.
  expect(created.stderr).toMatch(new RegExp(`^${id}: ssh answers on ${ip!.replace(/\./g, '\\.')}:22 `, 'm'));
  const ssh = kumoWithin(25_000, user, 'instance', 'ssh', id, '--key', key, '--', 'hostname');
  expect(ssh).toMatchObject({ status: 0, stdout: 'cli-1\n' });
  // The host key is remembered under the instance id in Kumo's own known_hosts (possibly hashed).
  const knownHosts = join(home, '.kumo', 'known_hosts');
  expect(readFileSync(knownHosts, 'utf8')).toContain('ssh-ed25519 ');
  expect(spawnSync('ssh-keygen', ['-F', id, '-f', knownHosts]).status).toBe(0);
  // ssh's exit code becomes kumo's.
  expect(kumoWithin(25_000, user, 'instance', 'ssh', id, '--key', key, '--', 'exit 7').status).toBe(7);

  const events = ok(kumo(admin, 'instance', 'events', id));
  expect(events.split('\n')[0]).toMatch(/^REQUESTED\s+ACTION\s+OUTCOME/);
  expect(events).toMatch(/\sspawn\s+succeeded\s/);

  const stopped = kumoWithin(150_000, user, 'instance', 'stop', id, '--wait', '--timeout', '120');
  expect(stopped).toMatchObject({ status: 0, stdout: `${id}\n` });
  expect(stopped.stderr).toMatch(new RegExp(`^${id}: stopping → stopped \\(\\d+\\.\\d s\\)$`, 'm'));
  expect(virsh('domstate', `${cloud.prefix}${id}`).trim()).toBe('shut off');

  // After a stop and a start the guest keeps its SSH host key: the pinned key still matches.
  ok(kumoWithin(200_000, user, 'instance', 'start', id, '--wait', '--timeout', '180'));
  expect(kumoWithin(25_000, user, 'instance', 'ssh', id, '--key', key, '--', 'hostname')).toMatchObject({
    status: 0,
    stdout: 'cli-1\n',
  });
  ok(kumoWithin(150_000, user, 'instance', 'stop', id, '--wait', '--timeout', '120'));

  // A second stop is refused by the API: exit 1, the id and the API's message on stderr.
  const again = kumo(user, 'instance', 'stop', id);
  expect(again.status).toBe(1);
  expect(again.stderr).toContain(`Error: ${id}: FAILED_PRECONDITION: Invalid instance status 'stopped'`);

  const deleted = kumoWithin(150_000, user, 'instance', 'delete', id, '--wait', '--timeout', '120');
  expect(deleted).toMatchObject({ status: 0 });
  // The last line says deleted; a delete done before the first poll shows no transition before it.
  expect(deleted.stderr).toMatch(new RegExp(`^${id}: (\\w+ → )?deleted \\(\\d+\\.\\d s\\)$`, 'm'));
  expect(JSON.parse(ok(kumo(user, '-o', 'json', 'instance', 'list')))).toEqual({
    instances: [],
    totalCount: 0,
  });
  expect(virsh('list', '--all', '--name')).not.toContain(id);
});
