// Per-process rate-limit buckets fed by leases of budget from PostgreSQL (RateLeasesModel), so a
// request is admitted without a database write of its own: one lease serves many requests.
//
// Guarantees, with any number N of kumods on one database:
// - A bucket never admits more than its limit in a window: every admitted request spends a token
//   that a lease charged to the window's durable count first, and leases are granted only within
//   the limit. The overshoot bound is 0, for any N.
// - Budget is not lost to other processes: a lease holds at most a quarter of what was left, lives
//   at most LEASE_MS (then its unused tokens are given back), and a request that finds the
//   window's budget spent while leases are unsettled waits for them (SETTLE_WAIT_MS, at most
//   SETTLE_TRIES times) and asks again before it is refused. So a refusal means the limit was
//   reached, except for budget leased by a kumod that died holding it (at most a quarter of the
//   rest per lease, for the rest of that window, at most a minute), and such refusals take
//   SETTLE_TRIES × SETTLE_WAIT_MS. These hold for kumod crashes; a PostgreSQL crash may forget the
//   leases of its last ~0.6 s (the guards pool commits asynchronously), as it forgets nonces.
// - Cost: one lease statement per (up to) MAX_LEASE requests of a bucket per process, instead of
//   one upsert per request; near the limit leases shrink to single requests.
import type { RateLeasesModel } from '@kumo/store';

/** Tokens one lease asks for at most. */
export const MAX_LEASE = 64;
/** How long a lease may be held before its unused tokens go back. */
export const LEASE_MS = 200;
/** How long a request waits for other processes' leases to settle before a refusal is final. */
export const SETTLE_WAIT_MS = 2 * LEASE_MS + 100;
/** How many times a request waits for unsettled leases before its refusal is final. */
export const SETTLE_TRIES = 3;

interface Lease {
  leased: number;
  tokens: number;
  windowUs: number;
  /** Local time after which the lease is settled (its life, or the window's end if sooner). */
  until: number;
}

/** The buckets of one process. */
export class RateBudget {
  private readonly leases = new Map<string, Lease>();
  private readonly inFlight = new Map<string, Promise<{ granted: number; outstanding: number }>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly model: RateLeasesModel,
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()),
  ) {
    // Ends expired leases even when their bucket sees no more requests, so their budget returns.
    this.timer = setInterval(() => void this.settleExpired(), LEASE_MS / 2).unref();
  }

  /** Spends one request of `bucket` (limit per window); false when the limit is reached. */
  async take(bucket: string, limit: number): Promise<boolean> {
    for (let asked = 0; ; asked++) {
      const lease = this.leases.get(bucket);
      if (lease && lease.tokens > 0 && lease.until > this.now()) {
        lease.tokens--;
        if (lease.tokens === 0) void this.end(bucket, lease);
        return true;
      }
      if (lease) void this.end(bucket, lease);
      const got = await this.lease(bucket, limit);
      if (got.granted > 0) continue;
      // Spent, but leases (other processes', or ones ending) may still give budget back.
      if (got.outstanding === 0 || asked >= SETTLE_TRIES) return false;
      await this.sleep(SETTLE_WAIT_MS);
    }
  }

  /** Gives back every lease's unused budget (at shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.leases].map(([bucket, lease]) => this.end(bucket, lease)));
  }

  /** One lease request per bucket at a time; concurrent requests share its result. */
  private lease(bucket: string, limit: number) {
    let p = this.inFlight.get(bucket);
    if (!p) {
      const asked = this.now();
      p = this.model
        .lease(bucket, MAX_LEASE, limit, this.windowSeconds)
        .then((r) => {
          if (r.granted > 0) {
            const until = asked + Math.min(LEASE_MS, Math.max(0, r.windowLeftMs));
            this.leases.set(bucket, { leased: r.granted, tokens: r.granted, windowUs: r.windowUs, until });
          }
          return r;
        })
        .finally(() => this.inFlight.delete(bucket));
      this.inFlight.set(bucket, p);
    }
    return p;
  }

  /** Forgets a lease and settles it (unused tokens back to the window). */
  private end(bucket: string, lease: Lease): Promise<void> {
    if (this.leases.get(bucket) === lease) this.leases.delete(bucket);
    const unused = lease.tokens;
    lease.tokens = 0;
    // Best effort: a settle that fails leaves the budget charged until the window ends (the
    // limit still holds; the bucket refuses early by at most this lease).
    return this.model.settle(bucket, lease.windowUs, lease.leased, unused).catch(() => undefined);
  }

  private async settleExpired(): Promise<void> {
    const t = this.now();
    await Promise.all(
      [...this.leases].filter(([, l]) => l.until <= t).map(([bucket, lease]) => this.end(bucket, lease)),
    );
  }
}
