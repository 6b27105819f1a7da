// Context for the numbers: one trivial query's round-trip latency on this machine right now.
// Read-only; opens and closes its own connection.
import pg from 'pg';
import { percentile } from './drive.js';

/** p50 and p99 of `SELECT 1` round trips (ms) over one connection, after a warm-up. */
export async function roundTrip(url: string, n = 2000): Promise<{ p50: number; p99: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let i = 0; i < 200; i++) await c.query('SELECT 1');
    const lat: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await c.query('SELECT 1');
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    lat.sort((a, b) => a - b);
    return { p50: percentile(lat, 50), p99: percentile(lat, 99) };
  } finally {
    await c.end();
  }
}
