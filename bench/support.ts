// What the benches share beyond test/support: a kumod started for a bench (embedded PostgreSQL, log
// in a file), signed autocannon requests, and the numbers and machine line every report prints.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signRequest } from '@kumo/contract';
import { startKumod, type KumodProcess } from '../test/support/kumod.js';
import { freePort } from '../test/support/ports.js';

/** Access keys of an account. */
export interface Keys {
  accessKey: string;
  secretKey: string;
}

/** A bench's kumod and how to reach its embedded PostgreSQL. */
export interface BenchKumod {
  kumod: KumodProcess;
  /** postgres:// URL of the embedded database (the `postgres` database, kumod's own user). */
  dbUrl: string;
}

/**
 * Starts kumod on `work` with its embedded PostgreSQL on a free port and its output in
 * work/kumod.log (not memory: a long load run would otherwise pay for buffering it). BENCH_NODE_ARGS
 * adds node flags (a profiler), BENCH_LOG_LEVEL kumod's log level.
 */
export async function startBenchKumod(work: string, env: Record<string, string>): Promise<BenchKumod> {
  const pgPort = await freePort();
  const kumod = await startKumod(
    {
      KUMO_EMBEDDED_PG_PORT: String(pgPort),
      KUMO_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      ...env,
    },
    {
      dataDir: work,
      logFile: join(work, 'kumod.log'),
      nodeArgs: process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [],
      timeoutMs: 120_000,
    },
  );
  const password = readFileSync(join(work, 'postgres.password'), 'utf8').trim();
  return { kumod, dbUrl: `postgres://kumo:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/postgres` };
}

/** Creates an account through the admin API and returns its keys. */
export function createAccount(kumod: KumodProcess, name: string): Promise<Keys> {
  return kumod.admin().adminRequest<Keys>('POST', '/accounts', { body: { name } });
}

/** A GET of `pathAndQuery` signed now, with a fresh nonce, as an SDK would sign it. */
export function signedGetHeaders(
  endpoint: string,
  keys: Keys,
  regionId: string,
  pathAndQuery: string,
): { url: URL; headers: Record<string, string> } {
  const url = new URL(`${endpoint}${pathAndQuery}`);
  const headers = signRequest({
    method: 'GET',
    url,
    headers: {},
    body: '',
    accessKey: keys.accessKey,
    secretKey: keys.secretKey,
    regionId,
    nonce: randomUUID(),
  });
  return { url, headers };
}

/** An autocannon GET whose path comes from `pathAndQuery()`, signed just before each send. */
export function signedGet(
  endpoint: string,
  keys: Keys,
  regionId: string,
  pathAndQuery: () => string,
): autocannon.Request {
  return {
    method: 'GET',
    setupRequest: (req) => {
      const { url, headers } = signedGetHeaders(endpoint, keys, regionId, pathAndQuery());
      return { ...req, path: url.pathname + url.search, headers };
    },
  };
}

/** One autocannon run of `durationS` seconds at `connections` concurrent connections. */
export function cannon(
  url: string,
  requests: autocannon.Request[],
  durationS: number,
  connections: number,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: durationS, requests }, (err, res) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res),
    );
  });
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Milliseconds as seconds with two decimals ('-' for a step that was not seen). */
export const sec = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));

/** The 1-, 5- and 15-minute load averages, for the report's context. */
export const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** When and on what the bench ran: ISO time, CPU count and model, node version. */
export const machine = () =>
  `${new Date().toISOString()}  ${cpus().length} x ${cpus()[0]?.model}  node ${process.version}`;
