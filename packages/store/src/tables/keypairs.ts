// keypairs: public keys users registered per account and region (private keys are never stored).
import type { Database } from '../db.js';
import { translatePgErrors } from '../errors.js';
import type { Transaction } from '../locks.js';

export const KEYPAIRS = 'keypairs';

/** Row of `keypairs`. */
export interface KeypairRow {
  account_id: string;
  region_id: string;
  key_name: string;
  public_key: string;
  fingerprint: string;
  created_at: Date;
}

/** A keypair as the rest of Kumo sees it. */
export interface Keypair {
  keyName: string;
  publicKey: string;
  fingerprint: string;
  createdAt: Date;
}

/** Which account and region a keypair query is scoped to: every query is. */
export interface Scope {
  accountId: string;
  regionId: string;
}

const toKeypair = (r: KeypairRow): Keypair => ({
  keyName: r.key_name,
  publicKey: r.public_key,
  fingerprint: r.fingerprint,
  createdAt: r.created_at,
});

// Serialises keypair creation per account so the quota count and the insert cannot interleave.
const KEYPAIR_QUOTA_LOCK = 0x6b750002;

/** Queries over keypairs, always within one account and region. */
export class KeypairsModel {
  constructor(private readonly db: Database) {}

  /**
   * Inserts a keypair unless the account already holds `limit` of them in the region.
   * Returns 'quota' when over the limit; throws UniqueViolation on a duplicate name.
   */
  async insertWithinQuota(
    scope: Scope,
    k: { keyName: string; publicKey: string; fingerprint: string },
    limit: number,
  ): Promise<Keypair | 'quota'> {
    return translatePgErrors(() =>
      this.db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [KEYPAIR_QUOTA_LOCK, scope.accountId]);
        if ((await this.count(scope, trx)) >= limit) return 'quota' as const;
        const [row] = await trx<KeypairRow>(KEYPAIRS)
          .insert({
            account_id: scope.accountId,
            region_id: scope.regionId,
            key_name: k.keyName,
            public_key: k.publicKey,
            fingerprint: k.fingerprint,
          })
          .returning('*');
        return toKeypair(row!);
      }),
    );
  }

  /**
   * One page of keypairs, optionally restricted to some names, ordered by creation, with the
   * number matching, in one statement: the page's names are picked on the keypairs_page index
   * (a deferred join), and an unfiltered total is the maintained count of migration 0013.
   */
  async page(
    scope: Scope,
    opts: { names?: string[]; offset: number; limit: number },
  ): Promise<{ items: Keypair[]; total: number }> {
    const own = { account_id: scope.accountId, region_id: scope.regionId };
    const base = this.db<KeypairRow>(KEYPAIRS).where(own);
    if (opts.names) base.whereIn('key_name', opts.names);
    const total = opts.names
      ? base.clone().count('*')
      : this.db.raw('coalesce((?), 0)', [this.counted(scope)]);
    const keys = base
      .clone()
      .select('key_name')
      .orderBy([{ column: 'created_at' }, { column: 'key_name' }])
      .offset(opts.offset)
      .limit(opts.limit);
    const rows = (await this.db(KEYPAIRS)
      .select(
        this.db.raw('(?)::int AS total_count', [total]),
        'account_id',
        'region_id',
        'key_name',
        'public_key',
        'fingerprint',
        'created_at',
      )
      .where(own)
      .whereIn('key_name', keys)
      .orderBy([{ column: 'created_at' }, { column: 'key_name' }])) as (KeypairRow & {
      total_count: number;
    })[];
    if (rows.length > 0) return { items: rows.map(toKeypair), total: rows[0]!.total_count };
    // No row: nothing matches (a first page says so), or the page is past the end.
    if (opts.offset === 0) return { items: [], total: 0 };
    const [{ n }] = (await (opts.names
      ? base.clone().count({ n: '*' })
      : this.db.select({ n: this.db.raw('coalesce((?), 0)', [this.counted(scope)]) }))) as [{ n: number }];
    return { items: [], total: Number(n) };
  }

  /** The maintained number of an account's keypairs in a region (migration 0013's triggers). */
  private counted(scope: Scope, trx?: Transaction) {
    return (trx ?? this.db)('resource_counts')
      .select(this.db.raw('coalesce(sum(n), 0)::int AS n'))
      .where({ resource: KEYPAIRS, account_id: scope.accountId, region_id: scope.regionId });
  }

  /** Finds one keypair by name. */
  async find(scope: Scope, keyName: string): Promise<Keypair | undefined> {
    const row = await this.db<KeypairRow>(KEYPAIRS)
      .where({ account_id: scope.accountId, region_id: scope.regionId, key_name: keyName })
      .first();
    return row && toKeypair(row);
  }

  /** Deletes one keypair; false when it did not exist. */
  async delete(scope: Scope, keyName: string): Promise<boolean> {
    const n = await this.db(KEYPAIRS)
      .where({ account_id: scope.accountId, region_id: scope.regionId, key_name: keyName })
      .delete();
    return n > 0;
  }

  /** How many keypairs an account holds in a region (the maintained count). */
  async count(scope: Scope, trx?: Transaction): Promise<number> {
    const row = (await this.counted(scope, trx).first()) as { n: number } | undefined;
    return row?.n ?? 0;
  }
}
