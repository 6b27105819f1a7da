// kumod's operator interface: bad config exits non-zero naming the variable; the embedded default
// creates the admin once (0600 credentials), survives a restart, stops cleanly; logs are JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUMOD_MAIN, removeDataDir, startKumod } from '../support/kumod.js';
import { freePort } from '../support/ports.js';

function runKumod(env: Record<string, string>) {
  return spawnSync(process.execPath, [KUMOD_MAIN], {
    env: { PATH: process.env.PATH, KUMO_DATA_DIR: mkdtempSync(join(tmpdir(), 'kumod-bad-')), ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

test.each([
  ['KUMO_LISTEN', 'not-a-host-port'],
  ['KUMO_LISTEN', '127.0.0.1:99999'],
  ['DATABASE_URL', 'mysql://root@localhost/kumo'],
  ['KUMO_RATE_LIMIT_PER_MINUTE', 'lots'],
  ['KUMO_LOG_LEVEL', 'chatty'],
  ['KUMO_REGION', 'Mars Region'],
  ['KUMO_INSTANCE_TYPES', '/nonexistent/types.yaml'],
])('bad %s=%s stops kumod with exit 2 and a message naming it', (name, value) => {
  const r = runKumod({ DATABASE_URL: 'postgres://127.0.0.1:1/none', [name]: value });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(name);
});

/** The fields of a log record every consumer relies on, or the parse error for a line that is not JSON. */
function parsesAs(line: string): unknown {
  try {
    const { level, time, msg } = JSON.parse(line) as Record<string, unknown>;
    return { level, time, msg };
  } catch (err) {
    return String(err);
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

test('the embedded default: admin created once, 0600 credentials, data survives a restart, clean stop', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kumod-embedded-'));
  const pgPort = await freePort();
  const env = { KUMO_EMBEDDED_PG_PORT: String(pgPort) };

  const first = await startKumod(env, { dataDir });
  try {
    const creds = first.credentials;
    expect(creds).toEqual({
      accessKey: expect.stringMatching(/^AK[A-Z0-9]{30}$/),
      secretKey: expect.stringMatching(/^[a-z0-9]{40}$/),
      endpoint: first.endpoint,
      regionId: 'local-1',
    });
    expect(statSync(join(dataDir, 'credentials.json')).mode & 0o777).toBe(0o600);
    await first.admin().createKeypair('survivor');
  } finally {
    expect(await first.stop()).toBe(0);
  }
  expect(await portOpen(pgPort)).toBe(false);

  // Every stdout line is a JSON log record (pino's shape), and none carries the secret key: the
  // credentials notice goes to the operator's terminal on stderr, outside the log stream.
  const stdoutLines = first.stdout().split('\n');
  expect(stdoutLines.pop()).toBe('');
  expect(stdoutLines.length).toBeGreaterThan(3);
  for (const l of stdoutLines) {
    expect({ line: l, record: parsesAs(l) }).toEqual({
      line: l,
      record: {
        level: expect.any(Number),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        msg: expect.any(String),
      },
    });
    expect(l).not.toContain(first.credentials.secretKey);
  }
  // The secret stays in the 0600 file: stderr names the file and the access key, never the secret.
  expect(first.stderr()).not.toContain(first.credentials.secretKey);
  expect(first.stderr()).toContain(`credentials written to ${join(dataDir, 'credentials.json')}`);
  expect(first.stderr()).toContain(first.credentials.accessKey);

  const second = await startKumod(env, { dataDir });
  try {
    expect(second.output()).not.toContain('Kumo admin credentials');
    // Same keys; the endpoint follows where kumod now listens.
    expect(second.credentials).toEqual({ ...first.credentials, endpoint: second.endpoint });
    const listed = await second.admin().describeKeypairs();
    expect(listed.keypairs.map((k) => k.keyName)).toEqual(['survivor']);
  } finally {
    expect(await second.stop()).toBe(0);
    removeDataDir(dataDir);
  }
}, 90_000);
