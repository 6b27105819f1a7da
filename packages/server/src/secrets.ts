// Secrets at rest: access keys' secret halves are stored sealed with AES-256-GCM under a master key
// that never enters the database — KUMO_MASTER_KEY (base64 of 32 bytes; every replica on one
// database needs the same), else a file made once in the data directory (0600). Sealed values read
// `v1:<iv>:<ciphertext>:<tag>` (base64url); the access key is the additional data, so a sealed
// secret cannot be moved to another key's row. Rotation: start every replica with the new key as
// KUMO_MASTER_KEY and the old one as KUMO_MASTER_KEY_PREVIOUS; values open under either, the first
// start re-seals everything under the new one, then the previous key can be dropped.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretCodec } from '@kumo/store';
import { ConfigError } from './config-error.js';

const PREFIX = 'v1:';

/** The master key: KUMO_MASTER_KEY when given, else `dataDir/master.key`, made on first start. */
export function loadMasterKey(fromEnv: string | undefined, dataDir: string): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new ConfigError('KUMO_MASTER_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(`${file}.tmp`, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError(`${file} must hold 32 bytes, base64-encoded`);
  return key;
}

/** The previous master key during a rotation (KUMO_MASTER_KEY_PREVIOUS), if any. */
export function loadPreviousMasterKey(fromEnv: string | undefined): Buffer | undefined {
  if (!fromEnv) return undefined;
  const key = Buffer.from(fromEnv, 'base64');
  if (key.length !== 32) throw new ConfigError('KUMO_MASTER_KEY_PREVIOUS must be 32 bytes, base64-encoded');
  return key;
}

/**
 * Seals under `current`; opens under `current` or, during a rotation, `previous` (and then says the
 * value needs re-sealing).
 */
export function keyringCodec(current: Buffer, previous?: Buffer): SecretCodec {
  const now = aesGcmCodec(current);
  if (!previous) return now;
  const old = aesGcmCodec(previous);
  const opensNow = (id: string, stored: string) => {
    try {
      now.open(id, stored);
      return true;
    } catch {
      return false;
    }
  };
  return {
    seal: now.seal,
    open: (id, stored) => (opensNow(id, stored) ? now.open(id, stored) : old.open(id, stored)),
    isSealed: now.isSealed,
    needsReseal: (id, stored) => now.isSealed(stored) && !opensNow(id, stored),
  };
}

/** An AES-256-GCM codec under `key`. */
export function aesGcmCodec(key: Buffer): SecretCodec {
  return {
    seal(id, plaintext) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(id, 'utf8'));
      const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
      return `${PREFIX}${[iv, ct, c.getAuthTag()].map((b) => b.toString('base64url')).join(':')}`;
    },
    open(id, stored) {
      if (!stored.startsWith(PREFIX)) throw new Error('not a sealed secret');
      const [iv, ct, tag] = stored
        .slice(PREFIX.length)
        .split(':')
        .map((p) => Buffer.from(p, 'base64url'));
      if (!iv || !ct || !tag) throw new Error('malformed sealed secret');
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAAD(Buffer.from(id, 'utf8'));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
    },
    isSealed: (stored) => stored.startsWith(PREFIX),
  };
}
