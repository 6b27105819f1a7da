// Rate-limit budget handed to kumod processes in leases: a lease charges a bucket's window for
// several requests at once, and whatever a process did not use is given back (settled) when its
// lease ends. The bucket's count therefore never exceeds its limit. Shares rate_counters with
// RequestGuardsModel.admit (same windows); `outstanding` and `last_grant` are migration 0013's.
import type { Database } from '../db.js';

/** What one lease request got. */
export interface RateLease {
  /** Requests granted now (0: the window's budget is spent or held by unsettled leases). */
  granted: number;
  /** Tokens of this window leased to processes and not settled yet (theirs and this one's). */
  outstanding: number;
  /** The window the lease belongs to (microseconds since the epoch; settle it with the same). */
  windowUs: number;
  /** Milliseconds until the window ends, by the database's clock. */
  windowLeftMs: number;
}

/** Leases of rate budget, shared by every kumod on the database. */
export class RateLeasesModel {
  constructor(private readonly db: Database) {}

  /**
   * Leases up to `want` requests of `bucket`'s current window (opened now when none is open or the
   * last one ended), but never more than a quarter of what is left (rounded up), so that near the
   * limit one process cannot sit on budget another needs. One statement; the row is locked only
   * for its own commit.
   */
  async lease(bucket: string, want: number, limit: number, windowSeconds: number): Promise<RateLease> {
    // `expired` and `base_*` are the old row's values as this window sees them.
    const expired = 'rc.window_start <= now() - make_interval(secs => :win)';
    const baseCount = `CASE WHEN ${expired} THEN 0 ELSE rc.count END`;
    const baseOut = `CASE WHEN ${expired} THEN 0 ELSE rc.outstanding END`;
    const grant = (count: string) => `LEAST(:want, CEIL(GREATEST(:limit - ${count}, 0) / 4.0)::int)`;
    const r = await this.db.raw<{
      rows: { granted: number; outstanding: number; window_us: number; left_ms: number }[];
    }>(
      `INSERT INTO rate_counters AS rc (bucket, window_start, count, outstanding, last_grant)
       VALUES (:bucket, now(), ${grant('0')}, ${grant('0')}, ${grant('0')})
       ON CONFLICT (bucket) DO UPDATE SET
         window_start = CASE WHEN ${expired} THEN now() ELSE rc.window_start END,
         last_grant = ${grant(baseCount)},
         count = ${baseCount} + ${grant(baseCount)},
         outstanding = ${baseOut} + ${grant(baseCount)}
       RETURNING last_grant AS granted, outstanding,
         (extract(epoch FROM window_start) * 1000000)::bigint AS window_us,
         (extract(epoch FROM window_start + make_interval(secs => :win) - now()) * 1000)::int AS left_ms`,
      { bucket, want, limit, win: windowSeconds },
    );
    const row = r.rows[0]!;
    return {
      granted: row.granted,
      outstanding: row.outstanding,
      windowUs: Number(row.window_us),
      windowLeftMs: row.left_ms,
    };
  }

  /**
   * Ends a lease of `leased` requests of which `unused` were not used: those go back to the
   * window's budget. A lease of a window that has since ended changes nothing.
   */
  async settle(bucket: string, windowUs: number, leased: number, unused: number): Promise<void> {
    await this.db.raw(
      `UPDATE rate_counters SET count = GREATEST(count - :unused, 0),
              outstanding = GREATEST(outstanding - :leased, 0)
        WHERE bucket = :bucket AND (extract(epoch FROM window_start) * 1000000)::bigint = :windowUs`,
      { bucket, windowUs, leased, unused },
    );
  }
}
