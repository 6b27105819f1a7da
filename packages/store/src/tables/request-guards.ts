// request_nonces and rate_counters: replay protection and API rate limits, shared by all kumod processes.
import type { Database } from '../db.js';

export const REQUEST_NONCES = 'request_nonces';
export const RATE_COUNTERS = 'rate_counters';

/** One rate-limit bucket to charge for a request. */
export interface RateBucket {
  key: string;
  limit: number;
}

/** What {@link RequestGuardsModel.admit} decided. */
export interface Admission {
  /** The nonce was seen before inside its window. */
  replayed: boolean;
  /** One of the `forbidden` nonces was seen inside its window. */
  forbidden: boolean;
  /** The first bucket whose limit the request exceeded, if any. */
  exceededBucket: string | undefined;
}

/** Nonce and rate-counter bookkeeping. */
export class RequestGuardsModel {
  constructor(private readonly db: Database) {}

  /**
   * Records the nonce and charges every bucket in ONE statement (one round trip per request).
   * A bucket's window opens at its first call and lasts `windowSeconds`; the count restarts after.
   * Buckets are always charged in the caller's order, so concurrent upserts cannot deadlock.
   */
  async admit(opts: {
    accessKey: string;
    nonce: string;
    nonceTtlSeconds: number;
    /** Nonces whose presence refuses the request too (a signature already used another way). */
    forbidden?: string[];
    buckets: RateBucket[];
    windowSeconds: number;
  }): Promise<Admission> {
    const keys = opts.buckets.map((b) => b.key);
    const result = await this.db.raw<{
      rows: { fresh: number; forbidden: number; counts: { bucket: string; count: number }[] | null }[];
    }>(
      `WITH nonce AS (
         INSERT INTO request_nonces (access_key, nonce, expires_at)
         VALUES (:accessKey, :nonce, now() + make_interval(secs => :ttl))
         ON CONFLICT DO NOTHING RETURNING 1
       ), counters AS (
         INSERT INTO rate_counters (bucket, window_start, count)
         SELECT b, now(), 1 FROM unnest(:keys::text[]) WITH ORDINALITY AS u(b, i)
         ON CONFLICT (bucket) DO UPDATE SET
           count = CASE WHEN rate_counters.window_start <= now() - make_interval(secs => :win)
                        THEN 1 ELSE rate_counters.count + 1 END,
           window_start = CASE WHEN rate_counters.window_start <= now() - make_interval(secs => :win)
                               THEN now() ELSE rate_counters.window_start END
         RETURNING bucket, count
       )
       SELECT (SELECT count(*) FROM nonce)::int AS fresh,
              (SELECT count(*) FROM request_nonces WHERE access_key = :accessKey
                 AND nonce = ANY(:forbidden::text[]) AND expires_at > now())::int AS forbidden,
              (SELECT json_agg(json_build_object('bucket', bucket, 'count', count)) FROM counters) AS counts`,
      {
        accessKey: opts.accessKey,
        nonce: opts.nonce,
        ttl: opts.nonceTtlSeconds,
        keys,
        forbidden: opts.forbidden ?? [],
        win: opts.windowSeconds,
      },
    );
    const row = result.rows[0]!;
    const counts = new Map((row.counts ?? []).map((c) => [c.bucket, c.count]));
    const exceeded = opts.buckets.find((b) => (counts.get(b.key) ?? 0) > b.limit);
    return { replayed: row.fresh === 0, forbidden: row.forbidden > 0, exceededBucket: exceeded?.key };
  }

  /** Drops expired nonces and idle counters; safe to run from any process at any time. */
  async sweep(windowSeconds: number): Promise<void> {
    await this.db(REQUEST_NONCES).where('expires_at', '<', this.db.fn.now()).delete();
    await this.db.raw(`DELETE FROM rate_counters WHERE window_start < now() - make_interval(secs => ?)`, [
      windowSeconds * 2,
    ]);
  }
}
