// describeKeypairs throughput: kumod (embedded PostgreSQL, 10,000 keypairs) against a bare express
// handler, both driven by autocannon over loopback with the same concurrency and duration.
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { KumoClient } from '@kumo/client';
import { encodeQuery, signRequest } from '@kumo/contract';

const KEYS = 10_000;
const CONCURRENCY = 16;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = 3;
const KUMOD_MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-express.mjs', import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Whether a URL answers 200 (false while the server is not listening yet). */
async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Spawns a server whose output goes to a file, and waits (bounded) until `readyUrl` answers 200. */
async function startServer(args, env, logFile, readyUrl) {
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', fd, fd] });
  const deadline = Date.now() + 60_000;
  while (!(await answers(readyUrl))) {
    if (child.exitCode !== null) throw new Error(`${args.at(-1)} exited:\n${readFileSync(logFile, 'utf8')}`);
    if (Date.now() > deadline) {
      // SIGTERM, not SIGKILL: kumod must stop its embedded PostgreSQL too.
      await stopServer(child);
      throw new Error(`${args.at(-1)} did not start:\n${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** An OpenSSH ed25519 public key line and its MD5 fingerprint (distinct keys, realistic rows). */
function ed25519OpenSsh() {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  // The SSH wire format: each field is a uint32 length followed by its bytes.
  const field = (b) => {
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

const keyName = (i) => `k${String(i).padStart(5, '0')}`;

/** Imports KEYS keypairs through the API (importKeypair), 32 requests at a time. */
async function seedThroughApi(client) {
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
async function seedThroughSql(dbUrl, accessKey) {
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
function randomQuery() {
  const r = Math.random();
  const name = () => `k${String(Math.floor(Math.random() * KEYS)).padStart(5, '0')}`;
  if (r < 0.1) {
    const names = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, name);
    return { pageNumber: 1, pageSize: 20, filters: [{ name: 'keyNames', values: names }] };
  }
  if (r < 0.55) return { pageNumber: 1 + Math.floor(Math.random() * (KEYS / 100)), pageSize: 100 };
  return { pageNumber: 1 + Math.floor(Math.random() * (KEYS / 20)), pageSize: 20 };
}

function cannon(url, requests, duration) {
  return new Promise((resolve, reject) => {
    const inst = autocannon({ url, connections: CONCURRENCY, duration, requests }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
    void inst;
  });
}

function summary(name, r) {
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
async function applyExperiments(dbUrl) {
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
  const [kumodPort, pgPort, barePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const kumodLog = join(work, 'kumod.log');
  const extraArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const kumod = await startServer(
    [...extraArgs, KUMOD_MAIN],
    {
      PATH: process.env.PATH,
      KUMO_DATA_DIR: work,
      KUMO_TLS: 'off',
      KUMO_LISTEN: `127.0.0.1:${kumodPort}`,
      KUMO_EMBEDDED_PG_PORT: String(pgPort),
      KUMO_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      KUMO_RATE_LIMIT_PER_MINUTE: '100000000',
      KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000000',
      KUMO_QUOTA_KEYPAIR: String(KEYS),
    },
    kumodLog,
    `http://127.0.0.1:${kumodPort}/healthz`,
  );
  const bare = await startServer(
    [BARE, String(barePort)],
    { PATH: process.env.PATH },
    join(work, 'bare.log'),
    `http://127.0.0.1:${barePort}/healthz`,
  );
  try {
    const endpoint = `http://127.0.0.1:${kumodPort}`;
    // kumod's embedded PostgreSQL: its password is in the data directory, its database is `postgres`.
    const pgPassword = readFileSync(join(work, 'postgres.password'), 'utf8').trim();
    const dbUrl = `postgres://kumo:${encodeURIComponent(pgPassword)}@127.0.0.1:${pgPort}/postgres`;
    const creds = JSON.parse(readFileSync(join(work, 'credentials.json'), 'utf8'));
    const admin = new KumoClient({
      endpoint,
      regionId: 'local-1',
      accessKey: creds.accessKey,
      secretKey: creds.secretKey,
    });
    const user = await admin.adminRequest('POST', '/accounts', { body: { name: 'bench' } });
    const client = new KumoClient({
      endpoint,
      regionId: 'local-1',
      accessKey: user.accessKey,
      secretKey: user.secretKey,
    });
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
    const signed = {
      method: 'GET',
      setupRequest: (req) => {
        const query = encodeQuery(randomQuery());
        const url = new URL(`${endpoint}/v1/regions/local-1/keypairs?${query}`);
        const headers = signRequest({
          method: 'GET',
          url,
          headers: {},
          body: '',
          accessKey: user.accessKey,
          secretKey: user.secretKey,
          regionId: 'local-1',
          nonce: randomUUID(),
        });
        return { ...req, path: url.pathname + url.search, headers };
      },
    };
    const plain = { method: 'GET', path: '/v1/regions/local-1/keypairs?pageNumber=1&pageSize=100' };

    await cannon(endpoint, [signed], WARMUP_S);
    const k = summary('kumod describeKeypairs', await cannon(endpoint, [signed], DURATION_S));
    await cannon(`http://127.0.0.1:${barePort}`, [plain], WARMUP_S);
    const b = summary('bare express', await cannon(`http://127.0.0.1:${barePort}`, [plain], DURATION_S));

    console.log(
      `\n${new Date().toISOString()}  ${cpus().length} x ${cpus()[0].model}  node ${process.version}`,
    );
    console.log(`concurrency ${CONCURRENCY}, ${DURATION_S} s each after ${WARMUP_S} s warm-up, loopback\n`);
    console.table([k, b]);
    console.log(`kumod / bare express: ${(k.reqPerSec / b.reqPerSec).toFixed(3)} of the throughput`);
    const ok = k.reqPerSec >= 1000 && k.p99ms <= 50 && k.non2xx === 0 && k.errors === 0;
    console.log(`target (>= 1000 req/s, p99 <= 50 ms, no errors): ${ok ? 'met' : 'MISSED'}`);
    console.log(JSON.stringify({ kumod: k, bare: b, ratio: k.reqPerSec / b.reqPerSec }));
  } finally {
    await Promise.all([stopServer(kumod), stopServer(bare)]);
    if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
