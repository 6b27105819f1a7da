// console_tokens: single-use console tokens, stored as their SHA-256 (migration 0007).
import type { Database } from '../db.js';

export const CONSOLE_TOKENS = 'console_tokens';

/** Which console a token opens. */
export type ConsoleKind = 'vnc' | 'serial';

/** What a consumed token was bound to. */
export interface ConsoleGrant {
  accountId: string;
  instanceId: string;
  requestedBy: string;
}

/** The console tokens table. */
export class ConsoleTokensModel {
  constructor(private readonly db: Database) {}

  /** Stores a new token's hash, bound to an account and instance, usable until `expiresAt`. */
  async issue(t: {
    tokenSha256: string;
    kind: ConsoleKind;
    accountId: string;
    instanceId: string;
    requestedBy: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db(CONSOLE_TOKENS).insert({
      token_sha256: t.tokenSha256,
      account_id: t.accountId,
      instance_id: t.instanceId,
      kind: t.kind,
      requested_by: t.requestedBy,
      expires_at: t.expiresAt,
    });
  }

  /**
   * Consumes a token in one conditional update: it must exist, open this kind of console, be unused and not expired at `now`
   * (the caller's clock, so every replica judges expiry the same way). Two replicas racing for the
   * same token cannot both win. Undefined when the token is unknown, used or expired.
   */
  async consume(
    tokenSha256: string,
    kind: ConsoleKind,
    now: Date,
    from: string,
  ): Promise<ConsoleGrant | undefined> {
    const rows: Record<string, string>[] = await this.db(CONSOLE_TOKENS)
      .where({ token_sha256: tokenSha256, kind })
      .whereNull('used_at')
      .where('expires_at', '>', now)
      .update({ used_at: now, used_from: from.slice(0, 64) })
      .returning(['account_id', 'instance_id', 'requested_by']);
    const r = rows[0];
    return r
      ? { accountId: r.account_id!, instanceId: r.instance_id!, requestedBy: r.requested_by! }
      : undefined;
  }

  /** Deletes tokens that expired before `before` (used or not): they can never be consumed. */
  async sweep(before: Date): Promise<number> {
    return this.db(CONSOLE_TOKENS).where('expires_at', '<', before).delete();
  }
}
