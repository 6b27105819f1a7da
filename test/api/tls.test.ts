// kumod serves HTTPS by default: a self-signed certificate made once in the data directory, named in
// credentials.json (endpoint https://…, caFile) so the CLI and SDKs trust it; or the operator's own
// certificate and key. Plain HTTP only when asked (KUMO_TLS=off, as the other API tests do).
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { KumoClient, KumoUnreachableError } from '@kumo/client';
import { removeDataDir, startKumod } from '../support/kumod.js';
import { freePort } from '../support/ports.js';

interface TlsCredentials {
  accessKey: string;
  secretKey: string;
  endpoint: string;
  regionId: string;
  caFile?: string;
}

const dirs: string[] = [];
// Each test starts kumod on its own embedded PostgreSQL (initdb included): seconds on a busy machine.
jest.setTimeout(120_000);

afterAll(() => dirs.forEach(removeDataDir));

test('the embedded default serves HTTPS with a self-signed certificate that clients are told to trust', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kumod-tls-'));
  dirs.push(dataDir);
  const env = { KUMO_TLS: 'on', KUMO_EMBEDDED_PG_PORT: String(await freePort()) };
  const first = await startKumod(env, { dataDir });
  let fingerprint: string;
  try {
    const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as TlsCredentials;
    expect(creds.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(creds.caFile).toBe(join(dataDir, 'tls', 'kumod.crt'));
    const cert = new X509Certificate(readFileSync(creds.caFile!));
    fingerprint = cert.fingerprint256;
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    // The log names the certificate's fingerprint, for users to compare.
    expect(first.output()).toContain(fingerprint);

    const trusting = new KumoClient({ ...creds, caFile: creds.caFile });
    expect((await trusting.createKeypair('over-tls')).keyName).toBe('over-tls');

    // Without the CA the certificate is refused, and plain HTTP gets no API answer.
    const { caFile: _trusted, ...withoutCa } = creds;
    const untrusting = new KumoClient(withoutCa);
    await expect(untrusting.describeKeypairs()).rejects.toThrow(KumoUnreachableError);
    const plain = new KumoClient({ ...withoutCa, endpoint: creds.endpoint.replace('https:', 'http:') });
    await expect(plain.describeKeypairs()).rejects.toThrow();
  } finally {
    await first.stop();
  }
  // A restart keeps the same certificate: pinned clients keep working.
  const second = await startKumod(env, { dataDir });
  try {
    const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as TlsCredentials;
    expect(new X509Certificate(readFileSync(creds.caFile!)).fingerprint256).toBe(fingerprint);
    const listed = await new KumoClient({ ...creds, caFile: creds.caFile }).describeKeypairs();
    expect(listed.keypairs?.map((k) => k.keyName)).toEqual(['over-tls']);
  } finally {
    await second.stop();
  }
});

test("the operator's certificate and key are served as given", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kumod-tls-own-'));
  dirs.push(dataDir);
  const pki = mkdtempSync(join(tmpdir(), 'kumo-pki-'));
  dirs.push(pki);
  chmodSync(pki, 0o755);
  execFileSync(
    'openssl',
    [
      ...[
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
      ],
      ...['-subj', '/CN=kumo.test', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ...['-keyout', join(pki, 'key.pem'), '-out', join(pki, 'cert.pem')],
    ],
    { stdio: 'ignore' },
  );
  const kumod = await startKumod(
    {
      KUMO_TLS: 'on',
      KUMO_TLS_CERT: join(pki, 'cert.pem'),
      KUMO_TLS_KEY: join(pki, 'key.pem'),
      KUMO_EMBEDDED_PG_PORT: String(await freePort()),
    },
    { dataDir },
  );
  try {
    const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as TlsCredentials;
    // The operator's CA is theirs to distribute: nothing self-made is named.
    expect(creds.caFile).toBeUndefined();
    const client = new KumoClient({ ...creds, caFile: join(pki, 'cert.pem') });
    expect((await client.describeKeypairs()).totalCount).toBe(0);
  } finally {
    await kumod.stop();
  }
});

test('a half-configured or unknown TLS setting stops kumod naming the variable', async () => {
  const { spawnSync } = await import('node:child_process');
  const { KUMOD_MAIN } = await import('../support/kumod.js');
  for (const [env, name] of [
    [{ KUMO_TLS: 'maybe' }, 'KUMO_TLS'],
    [{ KUMO_TLS_CERT: '/x.pem' }, 'KUMO_TLS_KEY'],
  ] as const) {
    const r = spawnSync(process.execPath, [KUMOD_MAIN], {
      env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://127.0.0.1:1/none', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(name);
  }
});
