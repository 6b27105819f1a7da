import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aesGcmCodec, loadMasterKey } from './secrets.js';

describe('sealed secrets', () => {
  const codec = aesGcmCodec(randomBytes(32));

  it('round-trips, never stores the plaintext, and differs each time', () => {
    const a = codec.seal('AK1', 'the-secret');
    const b = codec.seal('AK1', 'the-secret');
    expect(a).not.toContain('the-secret');
    expect(a).not.toBe(b);
    expect(codec.isSealed(a)).toBe(true);
    expect(codec.open('AK1', a)).toBe('the-secret');
  });

  it('refuses another key id, another master key, and tampering', () => {
    const sealed = codec.seal('AK1', 'the-secret');
    expect(() => codec.open('AK2', sealed)).toThrow();
    expect(() => aesGcmCodec(randomBytes(32)).open('AK1', sealed)).toThrow();
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => codec.open('AK1', flipped)).toThrow();
  });

  it('makes the master key file once, 0600, and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-mk-'));
    const k1 = loadMasterKey(undefined, dir);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(loadMasterKey(undefined, dir).equals(k1)).toBe(true);
    expect(readFileSync(join(dir, 'master.key'), 'utf8').trim()).toBe(k1.toString('base64'));
    expect(() => loadMasterKey('dG9vIHNob3J0', dir)).toThrow(/32 bytes/);
  });
});
