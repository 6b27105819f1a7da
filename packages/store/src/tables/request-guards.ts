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

  /**
   * Records many requests' nonces in one statement (group commit: the requests in flight share
   * it); returns the indices of the entries that were new. An entry repeating an earlier one of
   * the same batch is not new. A nonce counts as seen until the sweep removes it.
   */
  async recordNonces(
    entries: { accessKey: string; nonce: string; ttlSeconds: number }[],
  ): Promise<Set<number>> {
    const first = new Map<string, number>();
    entries.forEach((e, i) => {
      const k = `${e.accessKey}\n${e.nonce}`;
      if (!first.has(k)) first.set(k, i);
    });
    const unique = [...first.values()].map((i) => entries[i]!);
    const r = await this.db.raw<{ rows: { access_key: string; nonce: string }[] }>(
      `INSERT INTO request_nonces (access_key, nonce, expires_at)
       SELECT a, n, now() + make_interval(secs => t)
         FROM unnest(CAST(:a AS text[]), CAST(:n AS text[]), CAST(:t AS int[])) AS u(a, n, t)
       ON CONFLICT DO NOTHING RETURNING access_key, nonce`,
      {
        a: unique.map((e) => e.accessKey),
        n: unique.map((e) => e.nonce),
        t: unique.map((e) => e.ttlSeconds),
      },
    );
    return new Set(r.rows.map((x) => first.get(`${x.access_key}\n${x.nonce}`)!));
  }

  /** Whether any of `nonces` of the key was seen inside its window. */
  async anySeen(accessKey: string, nonces: string[]): Promise<boolean> {
    if (nonces.length === 0) return false;
    const row = await this.db(REQUEST_NONCES)
      .where({ access_key: accessKey })
      .whereIn('nonce', nonces)
      .andWhere('expires_at', '>', this.db.fn.now())
      .first('nonce');
    return row !== undefined;
  }

  /** Drops expired nonces and idle counters; safe to run from any process at any time. */
  async sweep(windowSeconds: number): Promise<void> {
    await this.db(REQUEST_NONCES).where('expires_at', '<', this.db.fn.now()).delete();
    await this.db.raw(`DELETE FROM rate_counters WHERE window_start < now() - make_interval(secs => ?)`, [
      windowSeconds * 2,
    ]);
  }
}
