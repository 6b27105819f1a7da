// image_shares: which accounts a private image is shared with (JD's pins). At most one row per
// (image, account); the owner's own account is never a member. No policy here.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';

export const IMAGE_SHARES = 'image_shares';

/** Row of `image_shares`. */
export interface ImageShareRow {
  image_id: string;
  account_id: string;
  created_at: Date;
}

/** Shares of images with accounts. */
export class ImageSharesModel {
  constructor(private readonly db: Database) {}

  /** The accounts an image is shared with (id and name), in the order they were added. */
  async members(imageId: string, trx?: Transaction): Promise<{ id: string; name: string; sharedAt: Date }[]> {
    const r = await (trx ?? this.db).raw<{ rows: { id: string; name: string; shared_at: Date }[] }>(
      `SELECT a.id, a.name, s.created_at AS shared_at FROM ${IMAGE_SHARES} s JOIN accounts a ON a.id = s.account_id
       WHERE s.image_id = ? ORDER BY s.created_at, a.name`,
      [imageId],
    );
    return r.rows.map((m) => ({ id: m.id, name: m.name, sharedAt: m.shared_at }));
  }

  /** Account ids by name, for the names that exist. */
  async accountsNamed(names: readonly string[], trx?: Transaction): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const r = await (trx ?? this.db).raw<{ rows: { id: string; name: string }[] }>(
      'SELECT id, name FROM accounts WHERE name = ANY(?)',
      [names as string[]],
    );
    return new Map(r.rows.map((row) => [row.name, row.id]));
  }

  /** How many accounts an image is shared with (the imageShare quota's usage). */
  async count(imageId: string, trx?: Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)(IMAGE_SHARES).where({ image_id: imageId }).count({ n: '*' })) as [
      { n: number | string },
    ];
    return Number(n);
  }

  /** Adds members (existing ones are kept as they are). */
  async add(imageId: string, accountIds: readonly string[], trx: Transaction): Promise<void> {
    if (accountIds.length === 0) return;
    await trx(IMAGE_SHARES)
      .insert(accountIds.map((a) => ({ image_id: imageId, account_id: a })))
      .onConflict(['image_id', 'account_id'])
      .ignore();
  }

  /** Removes members (absent ones are fine). */
  async remove(imageId: string, accountIds: readonly string[], trx?: Transaction): Promise<void> {
    await (trx ?? this.db)(IMAGE_SHARES)
      .where({ image_id: imageId })
      .whereIn('account_id', accountIds)
      .delete();
  }
}
