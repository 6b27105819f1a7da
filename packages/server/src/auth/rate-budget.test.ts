import type { RateLease, RateLeasesModel } from '@kumo/store';
import { LEASE_MS, MAX_LEASE, RateBudget } from './rate-budget.js';

/** One window of one bucket in memory, granting as rate_counters does (a quarter of the rest). */
class Window {
  count = 0;
  outstanding = 0;
  statements = 0;
  constructor(private readonly limit: number) {}
  lease = async (_b: string, want: number): Promise<RateLease> => {
    this.statements++;
    await Promise.resolve();
    const granted = Math.min(want, Math.ceil(Math.max(this.limit - this.count, 0) / 4));
    this.count += granted;
    this.outstanding += granted;
    return { granted, outstanding: this.outstanding, windowUs: 1, windowLeftMs: 60_000 };
  };
  settle = async (_b: string, _w: number, leased: number, unused: number) => {
    this.statements++;
    await Promise.resolve();
    this.count -= unused;
    this.outstanding -= leased;
  };
}

const budgetOn = (w: Window, now: () => number, sleep: (ms: number) => Promise<void>) =>
  new RateBudget(w as unknown as RateLeasesModel, 60, now, sleep);

describe('RateBudget', () => {
  it('serves many requests per lease statement, and concurrent requests share one lease', async () => {
    const w = new Window(1_000_000);
    const budget = budgetOn(
      w,
      () => 0,
      async () => {},
    );
    const ok = await Promise.all(Array.from({ length: 10 * MAX_LEASE }, () => budget.take('b', 1_000_000)));
    expect(ok.every(Boolean)).toBe(true);
    // Ten leases were used up; each one's end is settled: two statements per MAX_LEASE requests.
    expect(w.statements).toBeLessThanOrEqual(2 * 10 + 2);
    await budget.close();
  });

  it('two processes admit exactly the limit between them, whatever the interleaving', async () => {
    const w = new Window(100);
    let t = 0;
    // Waiting moves time on, so leases expire and settle as they would.
    const sleep = async (ms: number) => {
      t += ms;
      await Promise.all(
        [a, b].map((x) => (x as unknown as { settleExpired(): Promise<void> }).settleExpired()),
      );
    };
    const a = budgetOn(w, () => t, sleep);
    const b = budgetOn(w, () => t, sleep);
    let admitted = 0;
    for (let i = 0; i < 150; i++) if (await (i % 3 ? a : b).take('b', 100)) admitted++;
    expect(admitted).toBe(100);
    await Promise.all([a.close(), b.close()]);
    expect(w.outstanding).toBe(0);
  });

  it('gives an idle lease’s unused budget back, so another process can spend it', async () => {
    const w = new Window(8);
    let t = 0;
    const a = budgetOn(
      w,
      () => t,
      async () => {},
    );
    expect(await a.take('b', 8)).toBe(true); // a holds a lease of 2, one left unused
    t += LEASE_MS + 1;
    await (a as unknown as { settleExpired(): Promise<void> }).settleExpired();
    expect([w.count, w.outstanding]).toEqual([1, 0]);
    await a.close();
  });
});
