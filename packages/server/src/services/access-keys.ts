// Access keys: an account manages its own (self-service), the admin manages any account's. A
// change is visible to every kumod at once (the store announces it; see auth/key-feed.ts).
import { Errors } from '@kumo/contract';
import type { AccessKeyInfo, AccessKeysModel, AccountsModel } from '@kumo/store';

/** Keys per account, the first included (AWS allows two; a few more ease rotation in scripts). */
export const ACCESS_KEYS_PER_ACCOUNT = 5;

/** Who asks: self-service may not lock itself out; the admin may lock a tenant out. */
export interface KeyActor {
  accountId: string;
  admin: boolean;
}

/** Access-key administration. */
export class AccessKeyService {
  constructor(
    private readonly keys: AccessKeysModel,
    private readonly accounts: AccountsModel,
    /** Called after a change commits, so this process forgets the key at once. */
    private readonly evict: (accessKey: string) => void,
  ) {}

  /** A new key for `accountId`; the secret is returned only here. */
  async create(accountId: string): Promise<{ accessKey: string; secretKey: string }> {
    const r = await this.keys.create(accountId, ACCESS_KEYS_PER_ACCOUNT);
    if (r === 'not-found') throw Errors.accountNotFound(accountId);
    if (r === 'limit' || r === 'last-key') throw Errors.accessKeyLimit(ACCESS_KEYS_PER_ACCOUNT);
    this.evict(r.accessKey);
    return r;
  }

  /** The account's keys without secrets. */
  async list(accountId: string): Promise<AccessKeyInfo[]> {
    if (!(await this.accounts.exists(accountId))) throw Errors.accountNotFound(accountId);
    return this.keys.list(accountId);
  }

  /** Disables or re-enables a key of `accountId`. */
  async setEnabled(actor: KeyActor, accountId: string, accessKey: string, enabled: boolean): Promise<void> {
    const r = await this.keys.setEnabled(accountId, accessKey, enabled, !actor.admin);
    this.settle(r, accessKey);
  }

  /** Deletes a key of `accountId`. */
  async remove(actor: KeyActor, accountId: string, accessKey: string): Promise<void> {
    this.settle(await this.keys.remove(accountId, accessKey, !actor.admin), accessKey);
  }

  private settle(r: true | 'not-found' | 'limit' | 'last-key', accessKey: string): void {
    // Another account's key is simply not found: its existence is not revealed.
    if (r === 'not-found') throw Errors.accessKeyNotFound(accessKey.slice(0, 64));
    if (r === 'last-key') throw Errors.lastAccessKey();
    this.evict(accessKey);
  }
}
