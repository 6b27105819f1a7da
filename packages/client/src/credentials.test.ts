// Unit tests for loadCredentials: precedence of environment, user file and kumod's file, and clear errors.
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCredentials } from './credentials.js';
import { KumoConfigError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kumo-cred-'));
const home = join(dir, 'home');
const noHome = join(dir, 'nohome');
const system = join(dir, 'credentials.json');
mkdirSync(join(home, '.kumo'), { recursive: true });
writeFileSync(
  join(home, '.kumo', 'config'),
  JSON.stringify({ accessKey: 'UAK', secretKey: 'USK', regionId: 'r-user' }),
);
writeFileSync(
  system,
  JSON.stringify({ accessKey: 'SAK', secretKey: 'SSK', endpoint: 'http://10.0.0.1:9', regionId: 'r-sys' }),
);

describe('loadCredentials', () => {
  it('prefers the environment, with defaults', () => {
    expect(
      loadCredentials({
        env: { KUMO_ACCESS_KEY: 'A', KUMO_SECRET_KEY: 'S' },
        homeDir: home,
        systemFile: system,
      }),
    ).toEqual({
      accessKey: 'A',
      secretKey: 'S',
      endpoint: 'https://127.0.0.1:8080',
      regionId: 'local-1',
      source: 'environment',
    });
  });
  it('takes the CA file to trust from the environment or the file', () => {
    writeFileSync(
      join(home, 'ca.json'),
      JSON.stringify({ accessKey: 'A', secretKey: 'S', caFile: '/d/kumod.crt' }),
    );
    const env = { KUMO_CONFIG: join(home, 'ca.json') };
    expect(loadCredentials({ env, homeDir: home, systemFile: system }).caFile).toBe('/d/kumod.crt');
    expect(
      loadCredentials({ env: { ...env, KUMO_CA_FILE: '/other.pem' }, homeDir: home, systemFile: system })
        .caFile,
    ).toBe('/other.pem');
  });
  it('rejects half the environment pair', () => {
    expect(() =>
      loadCredentials({ env: { KUMO_ACCESS_KEY: 'A' }, homeDir: home, systemFile: system }),
    ).toThrow(KumoConfigError);
  });
  it('reads ~/.kumo/config next, letting KUMO_ENDPOINT override', () => {
    expect(
      loadCredentials({ env: { KUMO_ENDPOINT: 'http://e:1' }, homeDir: home, systemFile: system }),
    ).toMatchObject({
      accessKey: 'UAK',
      endpoint: 'http://e:1',
      regionId: 'r-user',
    });
  });
  it('falls back to the kumod credentials file', () => {
    expect(loadCredentials({ env: {}, homeDir: noHome, systemFile: system })).toMatchObject({
      accessKey: 'SAK',
      endpoint: 'http://10.0.0.1:9',
      regionId: 'r-sys',
      source: system,
    });
  });
  it('KUMO_CONFIG must exist and wins over the other files', () => {
    expect(loadCredentials({ env: { KUMO_CONFIG: system }, homeDir: home })).toMatchObject({
      accessKey: 'SAK',
    });
    expect(() => loadCredentials({ env: { KUMO_CONFIG: join(dir, 'missing') }, homeDir: home })).toThrow(
      /does not exist/,
    );
  });
  it('explains when nothing is found or a file is malformed', () => {
    expect(() => loadCredentials({ env: {}, homeDir: noHome, systemFile: join(dir, 'none') })).toThrow(
      /No Kumo credentials found/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    expect(() => loadCredentials({ env: { KUMO_CONFIG: bad } })).toThrow(/not valid JSON/);
    writeFileSync(bad, JSON.stringify({ accessKey: 'x' }));
    expect(() => loadCredentials({ env: { KUMO_CONFIG: bad } })).toThrow(/lacks accessKey or secretKey/);
  });
  it('names an unreadable file instead of skipping it', () => {
    if (process.getuid?.() === 0) return; // root reads anything; nothing to test
    const locked = join(dir, 'locked.json');
    writeFileSync(locked, '{}');
    chmodSync(locked, 0o000);
    expect(() => loadCredentials({ env: { KUMO_CONFIG: locked } })).toThrow(/permission denied/);
  });
});
