// Keypair policy: name rules, creation (private key returned once, never stored), import, listing.
import { Errors, KEY_NAME } from '@kumo/contract';
import { UniqueViolation, type Keypair, type KeypairsModel, type Scope } from '@kumo/store';
import { generateRsaKeypair, parsePublicKey } from './ssh-keys.js';

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
    // RSA generation costs 100–300 ms of CPU: refuse a taken name or a full quota first, cheaply.
    // The insert below stays the race-free authority; these only spare the work.
    if (await this.keypairs.find(scope, keyName)) throw Errors.keyNameInUse(keyName);
    if ((await this.keypairs.count(scope)) >= this.limit()) throw Errors.quotaExceeded('keypair');
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
  ): Promise<{ items: Keypair[]; total: number }> {
    return this.keypairs.page(scope, opts);
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
