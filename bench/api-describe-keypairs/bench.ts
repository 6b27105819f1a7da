// describeKeypairs throughput: kumod (embedded PostgreSQL, 10,000 keypairs) against a bare express
// handler, both driven by autocannon over loopback with the same concurrency and duration.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import pg from 'pg';
import type { KumoClient } from '@kumo/client';
import { encodeQuery, type DescribeKeypairsRequest } from '@kumo/contract';
import { clientFor } from '../../test/support/kumod.js';
import { freePort } from '../../test/support/ports.js';
import { answersOk, startServer } from '../../test/support/process.js';
import { cannon, createAccount, load, machine, signedGet, startBenchKumod } from '../support.js';

const KEYS = 10_000;
const CONCURRENCY = 16;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = 3;
const BARE = fileURLToPath(new URL('./bare-express.mjs', import.meta.url));

/** An OpenSSH ed25519 public key line and its MD5 fingerprint (distinct keys, realistic rows). */
function ed25519OpenSsh() {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  // The SSH wire format: each field is a uint32 length followed by its bytes.
  const field = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  const md5 = createHash('md5').update(blob).digest('hex');
  return {
    openssh: `ssh-ed25519 ${blob.toString('base64')} bench`,
    fingerprint: md5.replace(/(..)(?!$)/g, '$1:'),
  };
}

const keyName = (i: number) => `k${String(i).padStart(5, '0')}`;

/** Imports KEYS keypairs through the API (importKeypair), 32 requests at a time. */
async function seedThroughApi(client: KumoClient): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < KEYS) {
      const i = next++;
      await client.importKeypair(keyName(i), ed25519OpenSsh().openssh);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/**
 * Inserts KEYS keypairs straight into the `keypairs` table in one statement: the same rows
 * importKeypair writes, minutes faster on a busy machine. The read path measured is unaffected.
 */
async function seedThroughSql(dbUrl: string, accessKey: string): Promise<void> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const keys = Array.from({ length: KEYS }, ed25519OpenSsh);
    await db.query(
      `INSERT INTO keypairs (account_id, region_id, key_name, public_key, fingerprint, created_at)
       SELECT a.account_id, 'local-1', n, k, f, now() - make_interval(secs => ($5 - i) / 1000.0)
       FROM (SELECT account_id FROM access_keys WHERE access_key = $1) a,
            unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(n, k, f, i)`,
      [
        accessKey,
        keys.map((_, i) => keyName(i)),
        keys.map((k) => k.openssh),
        keys.map((k) => k.fingerprint),
        KEYS,
      ],
    );
    // As autovacuum would after importKeypair's trickle of inserts: the planner must know the rows.
    await db.query('ANALYZE keypairs');
  } finally {
    await db.end();
  }
}

/** A describeKeypairs query: mostly pages of 100 or 20, one request in ten filtered by names. */
function randomQuery(): DescribeKeypairsRequest {
  const r = Math.random();
  const name = () => `k${String(Math.floor(Math.random() * KEYS)).padStart(5, '0')}`;
  if (r < 0.1) {
    const names = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, name);
    return { pageNumber: 1, pageSize: 20, filters: [{ name: 'keyNames', values: names }] };
  }
  if (r < 0.55) return { pageNumber: 1 + Math.floor(Math.random() * (KEYS / 100)), pageSize: 100 };
  return { pageNumber: 1 + Math.floor(Math.random() * (KEYS / 20)), pageSize: 20 };
}

function summary(name: string, r: autocannon.Result) {
  return {
    name,
    reqPerSec: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/**
 * What-if experiments on the bench's own embedded database (never on server code), to measure the
 * fixes suggested in bench/README.md: BENCH_EXPERIMENT=index,async (comma-separated).
 */
async function applyExperiments(dbUrl: string): Promise<void> {
  const wanted = (process.env.BENCH_EXPERIMENT ?? '').split(',').filter(Boolean);
  if (!wanted.length) return;
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    for (const e of wanted) {
      if (e === 'index') {
        // Lets the page query walk an index in order instead of sorting every keypair of the account.
        await db.query(
          'CREATE INDEX bench_keypairs_page ON keypairs (account_id, region_id, created_at, key_name)',
        );
        await db.query('VACUUM ANALYZE keypairs');
      } else if (e === 'async') {
        // Commits stop waiting for the WAL flush, so the hot rate_counters rows are locked for less time.
        // (Server-wide here for the experiment; the suggested fix scopes it to the request-guard statement.)
        await db.query('ALTER SYSTEM SET synchronous_commit = off');
        await db.query('SELECT pg_reload_conf()');
      } else throw new Error(`unknown BENCH_EXPERIMENT ${e}`);
    }
    console.log(`what-if experiments applied to the bench database: ${wanted.join(', ')}`);
  } finally {
    await db.end();
  }
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'kumo-bench-'));
  chmodSync(work, 0o755);
  const { kumod, dbUrl } = await startBenchKumod(work, {
    KUMO_LOCAL_HOST: 'auto',
    KUMO_RATE_LIMIT_PER_MINUTE: '100000000',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000000',
    KUMO_QUOTA_KEYPAIR: String(KEYS),
  });
  const barePort = await freePort();
  const bare = await startServer({
    args: [BARE, String(barePort)],
    env: { PATH: process.env.PATH },
    logFile: join(work, 'bare.log'),
    ready: () => answersOk(`http://127.0.0.1:${barePort}/healthz`),
    timeoutMs: 60_000,
  });
  try {
    const endpoint = kumod.endpoint;
    const user = await createAccount(kumod, 'bench');
    const client = clientFor(endpoint, user, 'local-1');
    const seedStarted = Date.now();
    const seedVia = process.env.BENCH_SEED ?? 'sql';
    if (seedVia === 'api') await seedThroughApi(client);
    else await seedThroughSql(dbUrl, user.accessKey);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const total = (await client.describeKeypairs({ pageSize: 10 })).totalCount;
    if (total !== KEYS) throw new Error(`seeded ${total} keypairs, wanted ${KEYS}`);
    console.log(
      `seeded ${KEYS} keypairs (${seedVia === 'api' ? 'importKeypair' : 'SQL'}) in ${seedSeconds.toFixed(1)} s`,
    );
    await applyExperiments(dbUrl);

    // Every request is signed just before it is sent, with a fresh nonce, as an SDK would.
    const signed = signedGet(
      endpoint,
      user,
      'local-1',
      () => `/v1/regions/local-1/keypairs?${encodeQuery(randomQuery())}`,
    );
    const plain: autocannon.Request = {
      method: 'GET',
      path: '/v1/regions/local-1/keypairs?pageNumber=1&pageSize=100',
    };

    const bareUrl = `http://127.0.0.1:${barePort}`;
    await cannon(endpoint, [signed], WARMUP_S, CONCURRENCY);
    const k = summary('kumod describeKeypairs', await cannon(endpoint, [signed], DURATION_S, CONCURRENCY));
    await cannon(bareUrl, [plain], WARMUP_S, CONCURRENCY);
    const b = summary('bare express', await cannon(bareUrl, [plain], DURATION_S, CONCURRENCY));

    console.log(`\n${machine()}`);
    console.log(`concurrency ${CONCURRENCY}, ${DURATION_S} s each after ${WARMUP_S} s warm-up, loopback\n`);
    console.table([k, b]);
    console.log(`kumod / bare express: ${(k.reqPerSec / b.reqPerSec).toFixed(3)} of the throughput`);
    // Issue 14's goal.
    const ok = k.reqPerSec >= 0.3 * b.reqPerSec && k.p99ms <= 40 && k.non2xx === 0 && k.errors === 0;
    console.log(`goal (>= 0.3x bare express, p99 <= 40 ms, no errors): ${ok ? 'met' : 'MISSED'}`);
    console.log(JSON.stringify({ kumod: k, bare: b, ratio: k.reqPerSec / b.reqPerSec, load: load() }));
  } finally {
    await Promise.all([kumod.stop(), bare.stop()]);
    if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
