// Scheduler benchmark: N placements over H synthetic hosts in PostgreSQL at C in flight, guarded
// (store's CHECK-constrained HostsModel.claim) against a naive read-then-update without constraints,
// then an SQL audit of oversubscription. Uses only its own two databases; prints a markdown summary.
import type { Knex } from 'knex';
import type { PlacementRequest } from '@kumo/scheduler';
import { migrateLatest, openDatabase, HostsModel } from '@kumo/store';
import { place } from '@kumo/scheduler';
import { audit } from './audit.js';
import { drive, type DriveResult, type Outcome } from './drive.js';
import { placeGuarded } from './guarded.js';
import { placeNaive } from './naive.js';
import { roundTrip } from './rtt.js';
import { placeSkipLocked } from './skiplocked.js';
import { placePicked } from './picked.js';
import { refusedWithRoom } from './room.js';
import { ZoneSnapshots } from '../../packages/server/src/compute/zone-snapshots.js';
import { dropDatabase, freshDatabase, startServer } from './postgres.js';
import { azNames, hostRows, requests, seed, type HostRow } from './seed.js';
import { load } from '../support.js';
import { toSnapshot } from './snapshots.js';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const PLACEMENTS = Number(process.env.BENCH_PLACEMENTS ?? 10_000);
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 64);
const POOL = Number(process.env.BENCH_POOL ?? INFLIGHT);
const AZS = Number(process.env.BENCH_AZS ?? 4);

/** A fresh migrated and seeded database; `guarded` false drops the capacity CHECKs (the baseline). */
async function prepare(
  adminUrl: string,
  name: string,
  guarded: boolean,
  fleet: HostRow[],
  azs: string[],
): Promise<Knex> {
  const db = openDatabase({ url: await freshDatabase(adminUrl, name), poolMax: Math.max(POOL, 4) });
  await migrateLatest(db);
  if (!guarded)
    await db.raw(`ALTER TABLE hosts DROP CONSTRAINT hosts_vcpus_fit, DROP CONSTRAINT hosts_memory_fit,
      DROP CONSTRAINT hosts_disk_fit`);
  await seed(db, fleet, azs);
  await db.raw('ANALYZE');
  return db;
}

const VARIANTS = ['naive', 'guarded', 'guarded-skip-locked', 'claim-ranked'] as const;
type Variant = (typeof VARIANTS)[number];

const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main() {
  const azs = azNames(AZS);
  const fleet = hostRows(HOSTS, azs);
  const reqs = requests(PLACEMENTS, azs);
  // Warm place() up in-process first so JIT compilation is not billed to whichever run goes first.
  const snaps = fleet.map((r) => toSnapshot({ ...r, used_vcpus: 0, used_memory_mb: 0, used_disk_gb: 0 }));
  for (let i = 0; i < 500; i++) place(reqs[i % reqs.length]!, snaps);

  const server = await startServer();
  const dbName = (kind: Variant) => `kumo_bench_sched_${kind.replaceAll('-', '_')}_${process.pid}`;
  const results: Partial<
    Record<
      Variant,
      DriveResult & { retries: number; withRoom: number; audit: Awaited<ReturnType<typeof audit>> }
    >
  > = {};
  let rtt: { p50: number; p99: number } | undefined;
  try {
    rtt = await roundTrip(server.url);
    for (const kind of VARIANTS) {
      const db = await prepare(server.url, dbName(kind), kind !== 'naive', fleet, azs);
      try {
        const stats = { retries: 0 };
        const hosts = new HostsModel(db);
        const snapshots = new ZoneSnapshots();
        const fn: Record<Variant, (n: number, req: PlacementRequest) => Promise<Outcome>> = {
          naive: (n, req) => placeNaive(db, n, req),
          guarded: (n, req) => placeGuarded(db, hosts, n, req, stats),
          'guarded-skip-locked': (n, req) => placeSkipLocked(db, hosts, n, req, stats),
          'claim-ranked': (n, req) => placePicked(db, hosts, snapshots, n, req),
        };
        const run = await drive(reqs, INFLIGHT, fn[kind]);
        const withRoom = await refusedWithRoom(db, reqs, run.refused);
        results[kind] = { ...run, retries: stats.retries, withRoom, audit: await audit(db) };
      } finally {
        await db.destroy();
        await dropDatabase(server.url, dbName(kind));
      }
    }
  } finally {
    await server.stop();
  }

  const { naive, guarded, 'guarded-skip-locked': skip, 'claim-ranked': ranked } = results;
  if (!naive || !guarded || !skip || !ranked || !rtt) throw new Error('a variant did not run');
  console.log(
    `${PLACEMENTS} placements, ${HOSTS} hosts in ${AZS} AZs, ${INFLIGHT} in flight, pool ${POOL}, ` +
      `node ${process.version}, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}`,
  );
  // Shared or loaded machines distort every number below; these two say how loaded this one was.
  console.log(
    `SELECT 1 round trip: p50 ${ms(rtt.p50)}, p99 ${ms(rtt.p99)}; load average at the end ` + `${load()}\n`,
  );
  console.log(
    '| variant | placements/s | p50 | p99 | max | placed / no room / conflict | refused while room remained | claim retries | oversubscribed hosts (worst MiB over) | hosts with used ≠ Σ claims | memory fill |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [k, r] of Object.entries(results)) {
    const o = r.outcomes;
    console.log(
      `| ${k} | ${Math.round(r.perSecond).toLocaleString('en')} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ` +
        `${o.placed ?? 0} / ${o['no-room'] ?? 0} / ${o.conflict ?? 0} | ${r.withRoom} | ${r.retries} | ` +
        `${r.audit.oversubscribed} (${r.audit.worst.memoryMB}) | ${r.audit.drifted} | ${r.audit.memoryFillPct}% |`,
    );
  }
  console.log('');
  for (const [k, r] of [
    ['guarded', guarded],
    ['guarded-skip-locked', skip],
    ['claim-ranked', ranked],
  ] as const)
    console.log(
      `${k}/naive: throughput ${(r.perSecond / naive.perSecond).toFixed(2)}×, p99 ${(r.p99 / naive.p99).toFixed(2)}×`,
    );
  const ok = [guarded, skip, ranked].every((r) => r.audit.oversubscribed === 0 && r.audit.drifted === 0);
  console.log(
    `guarded oversubscription: ${ok ? 'none (goal met)' : 'FOUND'}; claim-ranked refused while room remained: ` +
      `${ranked.withRoom}; goal ≥ 1,000/s and p99 ≤ 200 ms: ` +
      `${ranked.perSecond >= 1000 && ranked.p99 <= 200 ? 'met' : 'not met'}`,
  );
  if (!ok || ranked.withRoom > 0) process.exitCode = 1;
}

await main();
