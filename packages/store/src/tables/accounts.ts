// accounts and access_keys: who may call the API, and with which key.
import type { Database } from '../db.js';
import { translatePgErrors } from '../errors.js';
import { newId, randomAlnum } from '../ids.js';

export const ACCOUNTS = 'accounts';
export const ACCESS_KEYS = 'access_keys';

/** Row of `accounts`. */
export interface AccountRow {
  id: string;
  name: string;
  is_admin: boolean;
  created_at: Date;
}

/** Row of `access_keys`. */
export interface AccessKeyRow {
  access_key: string;
  account_id: string;
  secret_key: string;
  enabled: boolean;
  created_at: Date;
}

/** An account as the rest of Kumo sees it. */
export interface Account {
  id: string;
  name: string;
  isAdmin: boolean;
  createdAt: Date;
}

/** An access key with its secret, returned once at creation and to the signature verifier. */
export interface AccessKey {
  accessKey: string;
  secretKey: string;
  account: Account;
}

/**
 * How secret keys are kept at rest: sealed with a key the database never sees (the server's
 * AES-GCM codec), bound to their access key. Without one (store tests) they are stored as given.
 */
export interface SecretCodec {
  seal(accessKey: string, secret: string): string;
  open(accessKey: string, stored: string): string;
  isSealed(stored: string): boolean;
  /** True for a value sealed under a previous master key (a rotation in progress). */
  needsReseal?(accessKey: string, stored: string): boolean;
}

/** What the master_key_check row seals (and is bound to). */
const MASTER_KEY_CHECK = 'kumo-master-key-check';

const PLAIN: SecretCodec = { seal: (_k, s) => s, open: (_k, s) => s, isSealed: () => false };

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  name: r.name,
  isAdmin: r.is_admin,
  createdAt: r.created_at,
});

/** Queries over accounts and their access keys. */
export class AccountsModel {
  constructor(
    private readonly db: Database,
    private readonly codec: SecretCodec = PLAIN,
  ) {}

  /** Creates an account and its first access key in one transaction. */
  async create(name: string, isAdmin: boolean): Promise<AccessKey> {
    return translatePgErrors(() =>
      this.db.transaction(async (trx) => {
        const [row] = await trx<AccountRow>(ACCOUNTS)
          .insert({ id: newId('acc'), name, is_admin: isAdmin })
          .returning('*');
        const accessKey = `AK${randomAlnum(30).toUpperCase()}`;
        const secretKey = randomAlnum(40);
        await trx<AccessKeyRow>(ACCESS_KEYS).insert({
          access_key: accessKey,
          secret_key: this.codec.seal(accessKey, secretKey),
          account_id: row!.id,
        });
        return { accessKey, secretKey, account: toAccount(row!) };
      }),
    );
  }

  /** Looks an enabled access key up, with its account; undefined when unknown or disabled. */
  async findAccessKey(accessKey: string): Promise<AccessKey | undefined> {
    const row = await this.db<AccessKeyRow & AccountRow>(ACCESS_KEYS)
      .join(ACCOUNTS, 'accounts.id', 'access_keys.account_id')
      .where({ 'access_keys.access_key': accessKey, 'access_keys.enabled': true })
      .first('access_keys.access_key', 'access_keys.secret_key', 'accounts.*');
    if (!row) return undefined;
    const secretKey = this.codec.isSealed(row.secret_key)
      ? this.codec.open(row.access_key, row.secret_key)
      : row.secret_key;
    return { accessKey: row.access_key, secretKey, account: toAccount(row) };
  }

  /**
   * Seals every secret still stored in plaintext (rows from before sealing existed) and proves the
   * codec opens the sealed ones; throws if it cannot (another master key). Returns how many it sealed.
   */
  async sealSecrets(): Promise<number> {
    // The first kumod seals the check row; every later one (and a racing one) must open it.
    await this.db('master_key_check')
      .insert({ id: 1, sealed: this.codec.seal(MASTER_KEY_CHECK, MASTER_KEY_CHECK) })
      .onConflict('id')
      .ignore();
    const check = await this.db<{ id: number; sealed: string }>('master_key_check')
      .where({ id: 1 })
      .first('sealed');
    if (
      this.codec.isSealed(check!.sealed) &&
      this.codec.open(MASTER_KEY_CHECK, check!.sealed) !== MASTER_KEY_CHECK
    )
      throw new Error('the master key check does not match');
    const stale = (id: string, stored: string) =>
      !this.codec.isSealed(stored) || (this.codec.needsReseal?.(id, stored) ?? false);
    const rows = await this.db<AccessKeyRow>(ACCESS_KEYS).select('access_key', 'secret_key');
    let sealed = 0;
    for (const r of rows) {
      if (!stale(r.access_key, r.secret_key)) {
        this.codec.open(r.access_key, r.secret_key);
        continue;
      }
      const plain = this.codec.isSealed(r.secret_key)
        ? this.codec.open(r.access_key, r.secret_key)
        : r.secret_key;
      // Conditional on the stored value, so two replicas re-sealing at once cannot clobber a change.
      sealed += await this.db<AccessKeyRow>(ACCESS_KEYS)
        .where({ access_key: r.access_key, secret_key: r.secret_key })
        .update({ secret_key: this.codec.seal(r.access_key, plain) });
    }
    // The check row last: a crash before this leaves the rotation visibly unfinished, and the
    // next start (still given the previous key) completes it.
    if (stale(MASTER_KEY_CHECK, check!.sealed))
      await this.db('master_key_check')
        .where({ id: 1, sealed: check!.sealed })
        .update({ sealed: this.codec.seal(MASTER_KEY_CHECK, MASTER_KEY_CHECK) });
    return sealed;
  }

  /** The admin account, if one was created. */
  async findAdmin(): Promise<Account | undefined> {
    const row = await this.db<AccountRow>(ACCOUNTS).where({ is_admin: true }).orderBy('created_at').first();
    return row && toAccount(row);
  }

  /** Whether the account exists. */
  async exists(id: string): Promise<boolean> {
    return (await this.db(ACCOUNTS).where({ id }).first('id')) !== undefined;
  }

  /** Every account, oldest first. */
  async list(): Promise<Account[]> {
    return (await this.db<AccountRow>(ACCOUNTS).orderBy('created_at')).map(toAccount);
  }
}
