// Runs a placement function over every request with a fixed number in flight and times each one.
// Bounded: exactly requests.length calls, each awaited.

/** Percentile `p` (0–100) of sorted `xs`, nearest-rank. */
export const percentile = (xs: number[], p: number): number =>
  xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? NaN;

/** How one placement ended. */
export type Outcome = 'placed' | 'no-room' | 'conflict';

/** Throughput, latency (ms) and outcome counts of one run. */
export interface DriveResult {
  perSecond: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  outcomes: Partial<Record<Outcome, number>>;
  /** The requests (indices) that were not placed. */
  refused: number[];
}

/**
 * Calls `fn(n, req)` for each request, `inflight` at a time. Latency is per call from its start to
 * its end, so it includes waiting for a pooled connection: that is what a client of kumod would see.
 */
export async function drive<R>(
  requests: R[],
  inflight: number,
  fn: (n: number, req: R) => Promise<Outcome>,
): Promise<DriveResult> {
  const lat: number[] = new Array<number>(requests.length);
  const outcomes: Partial<Record<Outcome, number>> = {};
  const refused: number[] = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < requests.length) {
        const n = next++;
        const s = process.hrtime.bigint();
        const o = await fn(n, requests[n]!);
        lat[n] = Number(process.hrtime.bigint() - s) / 1e6;
        outcomes[o] = (outcomes[o] ?? 0) + 1;
        if (o !== 'placed') refused.push(n);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  lat.sort((a, b) => a - b);
  return {
    perSecond: requests.length / seconds,
    seconds,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat[lat.length - 1] ?? NaN,
    outcomes,
    refused,
  };
}
