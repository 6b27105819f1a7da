// describeInstances throughput: kumod (embedded PostgreSQL, 10,000 instance rows of one account)
// driven by autocannon at concurrency 16 with a mix of pages and filters, every request freshly
// signed; baseline: the same query mix issued as SQL straight to the same database through `pg`
// (the statements kumod issues for each request besides admission: the page with its total, then
// the page's interfaces and disks) at concurrency 16; and, as the "before", schema 0012's rows + count.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { clientFor } from '../../test/support/kumod.js';
import {
  cannon,
  createAccount,
  load,
  machine,
  signedGet,
  signedGetHeaders,
  startBenchKumod,
} from '../support.js';
import { encodeQuery, type DescribeInstancesRequest } from '@kumo/contract';

const N = 10_000;
const CONCURRENCY = 16;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = 3;
const REGION = 'local-1';
const AZS = ['local-1a', 'local-1b', 'local-1c'];
const STATUSES = ['running', 'running', 'running', 'stopped', 'pending', 'error'];

/** A describeInstances query as the bench issues it (always paged). */
type Query = DescribeInstancesRequest & { pageSize: number; pageNumber: number };
/** A parameterised statement. */
interface Sql {
  text: string;
  values: unknown[];
}

const alnum = (n: number) => {
  const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(n), (b) => a[b % 36]).join('');
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const rand = (n: number) => Math.floor(Math.random() * n);

/**
 * Writes the inventory straight into the tables (see bench/README.md for why it bypasses the API):
 * one disabled host row, one subnet per AZ (a /18 each, so 3,334 addresses fit), one image row and
 * N instance rows of `accountId`, with statuses, names and addresses spread for the filters.
 */
async function seed(db: pg.Pool, accountId: string): Promise<{ ids: string[]; seconds: number }> {
  const started = performance.now();
  await db.query(
    `INSERT INTO hosts (id, name, uri, region_id, az, pool_path, accelerator, enabled, total_vcpus,
       total_memory_mb, total_disk_gb)
     VALUES ('host-bench0000001', 'bench-host', 'qemu+tcp://127.0.0.1:1/system', $1, 'local-1a',
       '/nonexistent', 'qemu', false, 100000, 100000000, 100000000)`,
    [REGION],
  );
  const subnets: { id: string; az: string; third: number }[] = [];
  for (const [i, az] of AZS.entries()) {
    const existing = await db.query('SELECT id FROM subnets WHERE region_id = $1 AND az = $2', [REGION, az]);
    if (existing.rows[0]) throw new Error(`kumod already made a subnet for ${az}`);
    const id = `subnet-bench${i}${alnum(5)}`;
    await db.query(
      `INSERT INTO subnets (id, vpc_id, region_id, az, cidr, gateway, prefix)
       VALUES ($1, 'vpc-local1default', $2, $3, $4, $5, 18)`,
      [id, REGION, az, `10.250.${i * 64}.0/18`, `10.250.${i * 64}.1`],
    );
    subnets.push({ id, az, third: i * 64 });
  }
  const imageId = `img-bench${alnum(8)}`;
  await db.query(
    `INSERT INTO images (id, region_id, name, platform, os_version, architecture, min_disk_gb, size_bytes,
       files_dir, manifest)
     VALUES ($1, $2, 'bench', 'Debian', '12', 'x86_64', 1, 1, '/nonexistent', '{}')`,
    [imageId, REGION],
  );
  const ids: string[] = [];
  const names = ['web', 'db', 'cache', 'worker', 'api', 'batch'];
  const rows: unknown[][] = [];
  for (let i = 0; i < N; i++) {
    const s = subnets[i % subnets.length]!;
    const k = Math.floor(i / subnets.length) + 10; // host part inside the /18, from .10
    const id = `i-${alnum(10)}`;
    ids.push(id);
    const mac = `52:54:00:${[i >> 16, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    rows.push([
      id,
      accountId,
      REGION,
      s.az,
      `${names[i % names.length]}-${i}`,
      `h${i}`,
      't.n1.nano',
      1,
      512,
      imageId,
      'host-bench0000001',
      STATUSES[i % STATUSES.length],
      'running',
      s.id,
      'vpc-local1default',
      `port-${alnum(10)}`,
      `10.250.${s.third + (k >> 8)}.${k & 255}`,
      mac,
      ['bench-key'],
      'local',
      40,
      // created_at: one second apart, so pages have a stable order like real creates.
      new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    ]);
  }
  const cols = [
    'id',
    'account_id',
    'region_id',
    'az',
    'name',
    'hostname',
    'instance_type',
    'vcpus',
    'memory_mb',
    'image_id',
    'host_id',
    'status',
    'power_state',
    'subnet_id',
    'vpc_id',
    'network_interface_id',
    'private_ip',
    'mac',
    'key_names',
    'system_disk_category',
    'system_disk_gb',
    'created_at',
  ];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params: unknown[] = [];
    const values = chunk.map((r) => `(${r.map((v) => `$${params.push(v)}`).join(', ')}, now())`);
    await db.query(
      `INSERT INTO instances (${cols.join(', ')}, launch_time) VALUES ${values.join(', ')}`,
      params,
    );
  }
  // What autovacuum does within a minute of a bulk insert: the visibility map lets pages and
  // counts be index-only scans, as they are on a database that has been up for a while.
  await db.query('VACUUM ANALYZE instances');
  return { ids, seconds: (performance.now() - started) / 1000 };
}

/** One query of each shape in the mix (for the no-load table and the plans). */
const SHAPES = (ids: string[]): Record<string, Query> => ({
  'page 100 deep': { pageSize: 100, pageNumber: 90 },
  'page 10 first': { pageSize: 10, pageNumber: 1 },
  'status page 20': { pageSize: 20, pageNumber: 50, filters: [{ name: 'status', values: ['stopped'] }] },
  'instanceId x5': {
    pageSize: 20,
    pageNumber: 1,
    filters: [{ name: 'instanceId', values: ids.slice(0, 5) }],
  },
  'name fuzzy': { pageSize: 20, pageNumber: 1, filters: [{ name: 'name', values: ['web-12'] }] },
  'ip fuzzy': {
    pageSize: 20,
    pageNumber: 1,
    filters: [{ name: 'privateIpAddress', values: ['10.250.65.1'] }],
  },
  'az page 100': { pageSize: 100, pageNumber: 30, filters: [{ name: 'az', values: ['local-1b'] }] },
});

/** A describeInstances query (JD names): pages of 10/20/100 and the filters, mixed. */
function randomQuery(ids: string[]): Query {
  const r = Math.random();
  const pageSize = pick([10, 20, 100]);
  const page = (max = N) => ({ pageSize, pageNumber: 1 + rand(Math.ceil(max / pageSize)) });
  if (r < 0.4) return page();
  if (r < 0.52) return { ...page(N / 2), filters: [{ name: 'status', values: [pick(STATUSES)] }] };
  if (r < 0.64) {
    const values = Array.from({ length: 1 + rand(10) }, () => pick(ids));
    return { pageNumber: 1, pageSize: 20, filters: [{ name: 'instanceId', values }] };
  }
  if (r < 0.76) {
    // name is fuzzy: "web-12" matches web-12, web-120…, web-1200… (a handful of rows)
    return {
      pageNumber: 1,
      pageSize: 20,
      filters: [{ name: 'name', values: [`${pick(['web', 'db', 'api'])}-${rand(1000)}`] }],
    };
  }
  if (r < 0.88) {
    // privateIpAddress is fuzzy too: "10.250.70." matches one /24's worth
    return {
      pageNumber: 1,
      pageSize: 20,
      filters: [
        { name: 'privateIpAddress', values: [`10.250.${pick([0, 1, 64, 65, 128, 129])}.${rand(25) + 1}`] },
      ],
    };
  }
  return { ...page(N / 3), filters: [{ name: 'az', values: [pick(AZS)] }] };
}

/** The WHERE of one describeInstances query, as InstancesModel.page builds it. */
function whereOf(accountId: string, q: Query): { where: string; params: unknown[]; filtered: boolean } {
  const params: unknown[] = [accountId, REGION];
  const where = ['account_id = $1', 'region_id = $2'];
  const esc = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  for (const f of q.filters ?? []) {
    if (f.name === 'instanceId')
      where.push(`id IN (${f.values.map((v) => `$${params.push(v)}`).join(', ')})`);
    else if (f.name === 'status' || f.name === 'az')
      where.push(`${f.name} IN (${f.values.map((v) => `$${params.push(v)}`).join(', ')})`);
    else if (f.name === 'name') where.push(`name ILIKE $${params.push(`%${esc(f.values[0] ?? '')}%`)}`);
    else if (f.name === 'privateIpAddress')
      where.push(`(${f.values.map((v) => `private_ip LIKE $${params.push(`%${esc(v)}%`)}`).join(' OR ')})`);
  }
  return { where: where.join(' AND '), params, filtered: (q.filters ?? []).length > 0 };
}

/**
 * The SQL the store issued for one describeInstances query before issue 14 (schema 0012): a page
 * of rows by OFFSET and a count under the same WHERE, sent concurrently. Kept as the "before" row.
 */
function toSqlBefore(accountId: string, q: Query): { rows: Sql; count: Sql } {
  const { where: w, params } = whereOf(accountId, q);
  const n = params.length;
  return {
    rows: {
      text: `SELECT * FROM instances WHERE ${w} ORDER BY created_at ASC, id ASC LIMIT $${n + 1} OFFSET $${n + 2}`,
      values: [...params, q.pageSize, (q.pageNumber - 1) * q.pageSize],
    },
    count: { text: `SELECT count(*) AS n FROM instances WHERE ${w}`, values: params },
  };
}

/** The columns InstancesModel.page reads (its LIST_COLUMNS). */
const LIST_COLUMNS = `id, account_id, region_id, az, name, description, hostname, instance_type, vcpus,
  memory_mb, nested_virt, image_id, host_id, status, task, task_step, task_owner, power_state, subnet_id,
  vpc_id, network_interface_id, private_ip, mac, key_names, system_disk_category, system_disk_gb,
  error_reason, spawn_attempts, launch_time, created_at`;

/**
 * The SQL kumod issues for one describeInstances query now (besides admission): the page with its
 * total in one statement (deferred join; the maintained count when unfiltered, migration 0013),
 * then the page's interfaces and data disks concurrently (describeInstances.ts).
 */
function toSql(
  accountId: string,
  q: Query,
): { page: Sql; nics: (ids: string[]) => Sql; disks: (ids: string[]) => Sql } {
  const { where: w, params, filtered } = whereOf(accountId, q);
  const n = params.length;
  const total = filtered
    ? `(SELECT count(*) FROM instances WHERE ${w})`
    : `coalesce((SELECT n FROM resource_counts WHERE resource = 'instances' AND account_id = $1 AND region_id = $2), 0)`;
  return {
    page: {
      text: `SELECT (${total})::int AS total_count, ${LIST_COLUMNS} FROM instances WHERE id IN (
        SELECT id FROM instances WHERE ${w} ORDER BY created_at ASC, id ASC OFFSET $${n + 1} LIMIT $${n + 2})
        ORDER BY created_at ASC, id ASC`,
      values: [...params, (q.pageNumber - 1) * q.pageSize, q.pageSize],
    },
    nics: (ids) => ({
      text: `SELECT * FROM network_interfaces WHERE instance_id = ANY($1) AND deleting = false
        ORDER BY instance_id, device_index`,
      values: [ids],
    }),
    disks: (ids) => ({
      text: `SELECT * FROM disks WHERE id IN (SELECT disk_id FROM disk_attachments WHERE instance_id = ANY($1))
        ORDER BY created_at`,
      values: [ids],
    }),
  };
}

/** Runs the statements of toSql for one query, in the order and concurrency kumod does. */
async function runSql(pool: pg.Pool, s: ReturnType<typeof toSql>): Promise<void> {
  const page = await pool.query<{ id: string }>(s.page);
  const ids = page.rows.map((r) => r.id);
  if (ids.length > 0) await Promise.all([pool.query(s.nics(ids)), pool.query(s.disks(ids))]);
}

/**
 * The statement kumod's request guard runs once per request before the handler (RequestGuardsModel.admit:
 * record the nonce, charge the account's and the operation's rate buckets), on bench-only keys.
 */
const guardSql = (): Sql => ({
  text: `WITH nonce AS (
     INSERT INTO request_nonces (access_key, nonce, expires_at)
     VALUES ('bench-guard', $1, now() + make_interval(secs => 600)) ON CONFLICT DO NOTHING RETURNING 1
   ), counters AS (
     INSERT INTO rate_counters (bucket, window_start, count)
     SELECT b, now(), 1 FROM unnest($2::text[]) AS u(b)
     ON CONFLICT (bucket) DO UPDATE SET count = rate_counters.count + 1
     RETURNING bucket, count
   )
   SELECT (SELECT count(*) FROM nonce)::int AS fresh,
          (SELECT json_agg(json_build_object('bucket', bucket, 'count', count)) FROM counters) AS counts`,
  values: [randomUUID(), ['bench-guard:account', 'bench-guard:describeInstances']],
});

/** Closed loop at CONCURRENCY over `fn` for `seconds`: req/s and latency percentiles (ms). */
async function closedLoop(fn: () => Promise<unknown>, seconds: number) {
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await fn();
      } catch {
        errors++;
      }
      lat.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const pct = (p: number) => Number(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]!.toFixed(1));
  return {
    reqPerSec: Math.round(lat.length / elapsed),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
    requests: lat.length,
    errors,
  };
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'kumo-bench-di-'));
  chmodSync(work, 0o755);
  const { kumod, dbUrl } = await startBenchKumod(work, {
    KUMO_LOCAL_HOST: 'none',
    // The bench host row is disabled and never swept (the first sweep runs before seeding).
    KUMO_RECONCILE_INTERVAL_SECONDS: '3600',
    KUMO_RATE_LIMIT_PER_MINUTE: '100000000',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000000',
  });
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 }); // kumod's knex pool size
  // kumod commits its request guard asynchronously on a pool of its own (since 2dcaf9f): so does the bench.
  const guardPool = new pg.Pool({ connectionString: dbUrl, max: 10, options: '-c synchronous_commit=off' });
  guardPool.on('error', () => undefined);
  // Idle connections are terminated when kumod stops its embedded PostgreSQL; that is expected.
  pool.on('error', () => undefined);
  try {
    const endpoint = kumod.endpoint;
    const user = await createAccount(kumod, 'bench');
    const client = clientFor(endpoint, user, REGION);
    const { rows: acc } = await pool.query<{ id: string }>("SELECT id FROM accounts WHERE name = 'bench'");
    const accountId = acc[0]?.id;
    if (!accountId) throw new Error('the bench account is not in the accounts table');
    const { ids, seconds } = await seed(pool, accountId);
    const total = (await client.describeInstances({ pageSize: 10 })).totalCount;
    if (total !== N) throw new Error(`seeded ${total} instances, wanted ${N}`);
    console.log(`seeded ${N} instance rows with SQL in ${seconds.toFixed(1)} s`);

    // One request of each shape, alone: response size and latency without load.
    const path = (q: Query) => `/v1/regions/${REGION}/instances?${encodeQuery(q)}`;
    const shapes = SHAPES(ids);
    const alone: Record<string, string | number>[] = [];
    for (const [label, q] of Object.entries(shapes)) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const { url, headers } = signedGetHeaders(endpoint, user, REGION, path(q));
        const t = performance.now();
        const res = await fetch(url, { headers });
        bytes = (await res.arrayBuffer()).byteLength;
        if (!res.ok) throw new Error(`${label}: HTTP ${res.status}`);
        times.push(performance.now() - t);
      }
      const s = toSql(accountId, q);
      const st: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await runSql(pool, s);
        st.push(performance.now() - t);
      }
      const gt: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await guardPool.query(guardSql());
        gt.push(performance.now() - t);
      }
      alone.push({
        shape: label,
        bytes,
        guardMinMs: Math.min(...gt).toFixed(1),
        kumodMinMs: Math.min(...times).toFixed(1),
        sqlMinMs: Math.min(...st).toFixed(1),
      });
      if (process.env.BENCH_EXPLAIN) {
        for (const part of [s.page]) {
          const plan = await pool.query<{ 'QUERY PLAN': string }>({
            ...part,
            text: `EXPLAIN (ANALYZE, COSTS OFF) ${part.text}`,
          });
          console.log(`${part.text.slice(0, 160)}\n  ${plan.rows.map((x) => x['QUERY PLAN']).join('\n  ')}`);
        }
      }
    }
    console.log('one request of each shape, no load (min of 5):');
    console.table(alone);

    if (process.env.BENCH_EXPERIMENT) {
      // What-if on the bench's own database only (see bench/README.md), e.g. an index.
      for (const stmt of process.env.BENCH_EXPERIMENT.split(';').filter((s) => s.trim()))
        await pool.query(stmt);
      await pool.query('ANALYZE instances');
      console.log(`experiment applied: ${process.env.BENCH_EXPERIMENT}`);
    }

    // Every request is signed just before it is sent, with a fresh nonce, as an SDK would.
    const signed = signedGet(endpoint, user, REGION, () => path(randomQuery(ids)));
    await cannon(endpoint, [signed], WARMUP_S, CONCURRENCY);
    const r = await cannon(endpoint, [signed], DURATION_S, CONCURRENCY);
    const k = {
      name: 'kumod describeInstances (HTTP)',
      reqPerSec: Math.round(r.requests.average),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      requests: r.requests.total,
      errors: r.errors + r.timeouts + r.non2xx,
    };

    const sqlOne = () => runSql(pool, toSql(accountId, randomQuery(ids)));
    await closedLoop(sqlOne, WARMUP_S);
    const b = { name: 'same queries as SQL via pg', ...(await closedLoop(sqlOne, DURATION_S)) };
    // Not the baseline, the "before": the statements the store issued until issue 14.
    const sqlBefore = async () => {
      const s = toSqlBefore(accountId, randomQuery(ids));
      await Promise.all([pool.query(s.rows), pool.query(s.count)]);
    };
    const old = { name: 'SQL of schema 0012 (rows + count)', ...(await closedLoop(sqlBefore, DURATION_S)) };
    // Not the baseline, an explanation: the same plus the guard statement kumod runs first.
    const sqlGuarded = async () => {
      await guardPool.query(guardSql());
      await sqlOne();
    };
    const g = { name: 'the 0012 guard statement + same SQL', ...(await closedLoop(sqlGuarded, DURATION_S)) };

    console.log(`\n${machine()}`);
    console.log(`concurrency ${CONCURRENCY}, ${DURATION_S} s each after ${WARMUP_S} s warm-up, loopback\n`);
    console.table([k, b, g, old]);
    console.log(`kumod / SQL alone: ${(k.reqPerSec / b.reqPerSec).toFixed(3)} of the throughput`);
    // Issue 14's goal.
    const ok = k.reqPerSec >= 1000 && k.p99ms <= 40 && k.errors === 0 && k.reqPerSec >= 0.8 * b.reqPerSec;
    console.log(`goal (>= 1000 req/s, p99 <= 40 ms, >= 0.8x SQL, no errors): ${ok ? 'met' : 'MISSED'}`);
    console.log(
      JSON.stringify({
        kumod: k,
        sql: b,
        guardedSql: g,
        sql0012: old,
        ratio: k.reqPerSec / b.reqPerSec,
        load: load(),
      }),
    );
  } finally {
    await pool.end();
    await guardPool.end();
    await kumod.stop();
    if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
