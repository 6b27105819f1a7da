// The built `kumo` command run as a shell user would against a real kumod: credentials from the
// environment and from a config file, keypair/instance-type/quota commands, and every exit code.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kumoIn, ok } from '../support/cli.js';
import { startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { freePort } from '../support/ports.js';

const work = mkdtempSync(join(tmpdir(), 'kumo-cli-'));
// An empty home: neither ~/.kumo/config nor anything else of the person running the tests is read.
const home = mkdtempSync(join(work, 'home-'));

let kumod: TestKumod;
let user: { accessKey: string; secretKey: string };
let envCreds: Record<string, string>;
let fileCreds: Record<string, string>;

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase({ KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000' });
  user = await kumod
    .admin()
    .adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', { body: { name: 'shell' } });
  envCreds = {
    KUMO_ACCESS_KEY: user.accessKey,
    KUMO_SECRET_KEY: user.secretKey,
    KUMO_ENDPOINT: kumod.endpoint,
  };
  const config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({ ...user, endpoint: kumod.endpoint, regionId: 'local-1' }), {
    mode: 0o600,
  });
  fileCreds = { KUMO_CONFIG: config };
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `kumo args…` with only PATH, HOME and the given variables in its environment. */
const kumo = kumoIn(home);

test('keypair create --out writes a 0600 private key that ssh-keygen loads (env credentials)', () => {
  const out = join(work, 'id_made');
  const printed = ok(kumo(envCreds, 'keypair', 'create', 'made', '--out', out));
  expect(printed).not.toContain('PRIVATE KEY');
  expect(printed).toContain(out);
  expect(statSync(out).mode & 0o777).toBe(0o600);
  const pub = execFileSync('ssh-keygen', ['-y', '-f', out], { encoding: 'utf8' });
  expect(pub).toMatch(/^ssh-rsa AAAA/);

  // The key file is never overwritten: the second create is refused before anything is created.
  const again = kumo(envCreds, 'keypair', 'create', 'made-again', '--out', out);
  expect(again.status).toBe(2);
  expect(again.stderr).toContain('already exists');
  expect(ok(kumo(envCreds, 'keypair', 'list', '--name', 'made-again', '-o', 'json'))).toContain(
    '"totalCount": 0',
  );
});

test('keypair import, then list in table and json (config file credentials)', () => {
  const keyFile = join(work, 'id_ed');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'cli', '-f', keyFile]);
  const imported = JSON.parse(
    ok(kumo(fileCreds, '-o', 'json', 'keypair', 'import', 'brought', '--public-key-file', `${keyFile}.pub`)),
  ) as { keyName: string; keyFingerprint: string };
  expect(imported.keyName).toBe('brought');
  const md5 = execFileSync('ssh-keygen', ['-l', '-E', 'md5', '-f', `${keyFile}.pub`], { encoding: 'utf8' });
  expect(md5).toContain(`MD5:${imported.keyFingerprint}`);

  const table = ok(kumo(fileCreds, 'keypair', 'list'))
    .trimEnd()
    .split('\n');
  expect(table[0]).toMatch(/^NAME\s+FINGERPRINT\s+CREATED$/);
  const rows = table.slice(1).filter((l) => !/^[-\s]*$/.test(l));
  expect(rows.map((l) => l.split(/\s+/)[0]).sort()).toEqual(['brought', 'made']);
  expect(rows.find((l) => l.startsWith('brought'))).toContain(imported.keyFingerprint);

  const json = JSON.parse(ok(kumo(fileCreds, 'keypair', 'list', '--output', 'json'))) as {
    keypairs: { keyName: string; keyFingerprint: string; createTime: string }[];
    totalCount: number;
  };
  expect(json.totalCount).toBe(2);
  expect(json.keypairs.find((k) => k.keyName === 'brought')).toEqual({
    keyName: 'brought',
    keyFingerprint: imported.keyFingerprint,
    createTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
  });
});

test('keypair delete removes it; deleting a missing key exits 1 with the API error on stderr', () => {
  expect(ok(kumo(envCreds, 'keypair', 'delete', 'brought'))).toContain('brought');
  const names = (
    JSON.parse(ok(kumo(envCreds, '-o', 'json', 'keypair', 'list'))) as { keypairs: { keyName: string }[] }
  ).keypairs.map((k) => k.keyName);
  expect(names).toEqual(['made']);

  const missing = kumo(envCreds, 'keypair', 'delete', 'brought');
  expect(missing.status).toBe(1);
  expect(missing.stdout).toBe('');
  expect(missing.stderr).toMatch(/^Error: NOT_FOUND: .*brought.*\(requestId [a-z0-9]{32}\)\n$/);
});

test('instance-type list in table and json', () => {
  const table = ok(kumo(envCreds, 'instance-type', 'list'));
  expect(table.split('\n')[0]).toMatch(/Type/i);
  for (const t of ['t.n1.micro', 'g.n2.large', 'c.n2.xlarge', 'm.n2.large', 'v.n1.large'])
    expect(table).toContain(t);

  const json = JSON.parse(
    ok(kumo(fileCreds, '-o', 'json', 'instance-type', 'list', '--type', 'g.n2.large')),
  ) as {
    instanceTypes: { instanceType: string; cpu: number; memoryMB: number }[];
  };
  expect(json.instanceTypes).toEqual([
    expect.objectContaining({ instanceType: 'g.n2.large', cpu: 2, memoryMB: 8192 }),
  ]);
});

test('quota list shows the keypair usage', () => {
  const table = ok(kumo(envCreds, 'quota', 'list'));
  expect(table.split('\n')[0]).toMatch(/^RESOURCE\s+USED\s+LIMIT$/);
  expect(table).toMatch(/^keypair\s+1\s+20$/m);
  const json = JSON.parse(ok(kumo(fileCreds, '-o', 'json', 'quota', 'list', '--type', 'keypair'))) as {
    quotas: { resourceType: string; used: number; limit: number }[];
  };
  expect(json.quotas).toEqual([{ resourceType: 'keypair', used: 1, limit: 20 }]);
});

test.each([
  ['an unknown command', ['keypair', 'frobnicate']],
  ['an unknown option', ['keypair', 'list', '--colour']],
  ['a bad --output', ['-o', 'yaml', 'keypair', 'list']],
  ['a missing required option', ['keypair', 'import', 'x']],
  ['an unreadable public key file', ['keypair', 'import', 'x', '--public-key-file', '/nonexistent/key.pub']],
])('%s is a usage error: exit 2', (_what, args) => {
  const r = kumo(envCreds, ...args);
  expect(r.status).toBe(2);
  expect(r.stderr).not.toBe('');
});

test('no credentials anywhere: exit 3 naming where it looked', () => {
  // The fallback /var/lib/kumo/credentials.json belongs to a local kumod; with one there this
  // machine has credentials, so only the explicit-config case below can be checked.
  if (!existsSync('/var/lib/kumo/credentials.json')) {
    const r = kumo({ KUMO_ENDPOINT: kumod.endpoint }, 'keypair', 'list');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('KUMO_ACCESS_KEY');
  }
  const missing = kumo({ KUMO_CONFIG: join(work, 'nope.json') }, 'keypair', 'list');
  expect(missing.status).toBe(3);
  expect(missing.stderr).toContain('nope.json');
  const half = kumo({ KUMO_ACCESS_KEY: user.accessKey }, 'keypair', 'list');
  expect(half.status).toBe(3);
});

test('an unreachable endpoint (closed loopback port): exit 4', async () => {
  const closed = await freePort();
  const r = kumo({ ...envCreds, KUMO_ENDPOINT: `http://127.0.0.1:${closed}` }, 'keypair', 'list');
  expect(r.status).toBe(4);
  expect(r.stderr).toContain(`127.0.0.1:${closed}`);
  // --endpoint overrides the credentials' endpoint the same way.
  const flag = kumo(fileCreds, '--endpoint', `http://127.0.0.1:${closed}`, 'quota', 'list');
  expect(flag.status).toBe(4);
});

test('wrong secret: the API refuses with exit 1, never a crash', () => {
  const r = kumo({ ...envCreds, KUMO_SECRET_KEY: 'x'.repeat(40) }, 'keypair', 'list');
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^Error: UNAUTHENTICATED: /);
  expect(readFileSync(join(work, 'config.json'), 'utf8')).toContain(user.accessKey);
});
