// Keypair policy: name rules, creation (private key returned once, never stored), import, listing.
import { Errors } from '@kumo/contract';
import { UniqueViolation, type Keypair, type KeypairsModel, type Scope } from '@kumo/store';
import { formatJdTime } from './time.js';
import { generateRsaKeypair, parsePublicKey } from './ssh-keys.js';

/** JD's keypair name rule: letters, digits, `_` and `-`, at most 32 characters. */
export const KEY_NAME = /^[A-Za-z0-9_-]{1,32}$/;

/** A keypair on the wire. */
export interface KeypairView {
  keyName: string;
  keyFingerprint: string;
  createTime: string;
}

const view = (k: Keypair): KeypairView => ({
  keyName: k.keyName,
  keyFingerprint: k.fingerprint,
  createTime: formatJdTime(k.createdAt),
});

/** Keypair operations for one account and region at a time. */
export class KeypairService {
  constructor(
    private readonly keypairs: KeypairsModel,
    private readonly limit: () => number,
  ) {}

  /** Creates an RSA 2048 keypair; the private key is in the answer and nowhere else. */
  async create(
    scope: Scope,
    keyName: string,
  ): Promise<{ keyName: string; privateKey: string; keyFingerprint: string }> {
    checkName(keyName);
    const generated = await generateRsaKeypair(keyName);
    await this.insert(scope, keyName, generated);
    return { keyName, privateKey: generated.privateKeyPem, keyFingerprint: generated.fingerprint };
  }

  /** Registers a user's OpenSSH public key. */
  async import(
    scope: Scope,
    keyName: string,
    publicKey: string,
  ): Promise<{ keyName: string; keyFingerprint: string }> {
    checkName(keyName);
    const parsed = parsePublicKey(publicKey);
    await this.insert(scope, keyName, parsed);
    return { keyName, keyFingerprint: parsed.fingerprint };
  }

  /** One page of keypairs, optionally only the named ones. */
  async describe(
    scope: Scope,
    opts: { names?: string[]; offset: number; limit: number },
  ): Promise<{ keypairs: KeypairView[]; totalCount: number }> {
    const page = await this.keypairs.page(scope, opts);
    return { keypairs: page.items.map(view), totalCount: page.total };
  }

  /** Deletes a keypair; NOT_FOUND when the account has none by that name. */
  async delete(scope: Scope, keyName: string): Promise<void> {
    if (!KEY_NAME.test(keyName) || !(await this.keypairs.delete(scope, keyName))) {
      throw Errors.keypairNotFound(keyName.slice(0, 64));
    }
  }

  private async insert(
    scope: Scope,
    keyName: string,
    k: { openssh: string; fingerprint: string },
  ): Promise<void> {
    try {
      const r = await this.keypairs.insertWithinQuota(
        scope,
        { keyName, publicKey: k.openssh, fingerprint: k.fingerprint },
        this.limit(),
      );
      if (r === 'quota') throw Errors.quotaExceeded('keypair');
    } catch (err) {
      if (err instanceof UniqueViolation) throw Errors.keyNameInUse(keyName);
      throw err;
    }
  }
}

function checkName(keyName: string): void {
  if (!KEY_NAME.test(keyName)) {
    throw Errors.invalidParameter('keyName', 'use 1-32 letters, digits, "_" or "-"');
  }
}
