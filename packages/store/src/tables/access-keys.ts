// Access keys of an account beyond the first: create, list, disable/enable, delete. Every change
// is announced on the `kumo_access_keys` channel in the same transaction, so every kumod evicts the
// key from its cache the moment the change commits (see listenForAccessKeyChanges).
import type { Database } from '../db.js';
import { randomAlnum } from '../ids.js';
import { ACCESS_KEYS, ACCOUNTS, type AccessKeyRow, type SecretCodec } from './accounts.js';

/** The notification channel of access-key changes; the payload is the access key. */
export const ACCESS_KEY_CHANNEL = 'kumo_access_keys';

/** An access key as its owner sees it (never the secret). */
export interface AccessKeyInfo {
  accessKey: string;
  enabled: boolean;
  createdAt: Date;
}

/** Why a key change was refused. */
export type AccessKeyRefusal = 'not-found' | 'limit' | 'last-key';

/** Queries over access keys. */
export class AccessKeysModel {
  constructor(
    private readonly db: Database,
    private readonly codec: SecretCodec,
  ) {}

  /** A new enabled key for the account, unless it already holds `limit` keys. */
  async create(
    accountId: string,
    limit: number,
  ): Promise<{ accessKey: string; secretKey: string } | AccessKeyRefusal> {
    return this.db.transaction(async (trx) => {
      // The account row lock serialises concurrent creates, so the limit holds.
      const acct = await trx(ACCOUNTS).where({ id: accountId }).forUpdate().first('id');
      if (!acct) return 'not-found';
      const [{ n }] = (await trx(ACCESS_KEYS).where({ account_id: accountId }).count({ n: '*' })) as [
        { n: number | string },
      ];
      if (Number(n) >= limit) return 'limit';
      const accessKey = `AK${randomAlnum(30).toUpperCase()}`;
      const secretKey = randomAlnum(40);
      await trx<AccessKeyRow>(ACCESS_KEYS).insert({
        access_key: accessKey,
        account_id: accountId,
        secret_key: this.codec.seal(accessKey, secretKey),
      });
      // Replicas that just refused this (random, so unlikely) key forget the refusal.
      await trx.raw('SELECT pg_notify(?, ?)', [ACCESS_KEY_CHANNEL, accessKey]);
      return { accessKey, secretKey };
    });
  }

  /** The account's keys, oldest first. */
  async list(accountId: string): Promise<AccessKeyInfo[]> {
    const rows = await this.db<AccessKeyRow>(ACCESS_KEYS)
      .where({ account_id: accountId })
      .orderBy([{ column: 'created_at' }, { column: 'access_key' }])
      .select('access_key', 'enabled', 'created_at');
    return rows.map((r) => ({ accessKey: r.access_key, enabled: r.enabled, createdAt: r.created_at }));
  }

  /**
   * Enables or disables a key of the account. `keepOne` refuses to disable its last enabled key
   * (an account would lock itself out); the admin may do it to lock a tenant out.
   */
  setEnabled(
    accountId: string,
    accessKey: string,
    enabled: boolean,
    keepOne: boolean,
  ): Promise<true | AccessKeyRefusal> {
    return this.change(accountId, accessKey, !enabled && keepOne, (trx) =>
      trx(ACCESS_KEYS).where({ access_key: accessKey }).update({ enabled }),
    );
  }

  /** Deletes a key of the account (same `keepOne` rule as disabling). */
  remove(accountId: string, accessKey: string, keepOne: boolean): Promise<true | AccessKeyRefusal> {
    return this.change(accountId, accessKey, keepOne, (trx) =>
      trx(ACCESS_KEYS).where({ access_key: accessKey }).delete(),
    );
  }

  private change(
    accountId: string,
    accessKey: string,
    keepOne: boolean,
    apply: (trx: Database) => Promise<unknown>,
  ): Promise<true | AccessKeyRefusal> {
    return this.db.transaction(async (trx) => {
      await trx(ACCOUNTS).where({ id: accountId }).forUpdate().first('id');
      const keys = await trx<AccessKeyRow>(ACCESS_KEYS)
        .where({ account_id: accountId })
        .select('access_key', 'enabled');
      const key = keys.find((k) => k.access_key === accessKey);
      if (!key) return 'not-found';
      const othersEnabled = keys.filter((k) => k.enabled && k.access_key !== accessKey).length;
      if (keepOne && key.enabled && othersEnabled === 0) return 'last-key';
      await apply(trx);
      // Delivered to every listener when (and only if) this transaction commits.
      await trx.raw('SELECT pg_notify(?, ?)', [ACCESS_KEY_CHANNEL, accessKey]);
      return true;
    });
  }
}
