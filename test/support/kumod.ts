// Starts real kumod processes (the built daemon, as an operator would) for API and guest tests and
// benches, and gives clients for them. It never starts a hypervisor of its own.
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from './database.js';
import { freePort } from './ports.js';
import { startServer, type ServerProcess } from './process.js';

/** The master key every test kumod shares (32 bytes, base64): test data only. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export const KUMOD_MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

/** The credentials file kumod writes on first start. */
export interface CredentialsFile {
  accessKey: string;
  secretKey: string;
  endpoint: string;
  regionId: string;
}

/** A kumod child process. */
export interface KumodProcess extends ServerProcess {
  endpoint: string;
  dataDir: string;
  credentials: CredentialsFile;
  /** An admin client. */
  admin(): KumoClient;
}

/** Options of {@link startKumod}. */
export interface KumodOptions {
  dataDir?: string;
  /** A second kumod on the same database writes no credentials file: pass the first one's. */
  adminCredentials?: CredentialsFile;
  /** node flags before the script (a bench's profiler, say). */
  nodeArgs?: string[];
  /** Output to this file instead of memory (see ServerOptions.logFile). */
  logFile?: string;
  /** The environment kumod starts from; by default only PATH (tests must not inherit KUMO_*). */
  baseEnv?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** The entry script (default {@link KUMOD_MAIN}; network tests use {@link KUMOD_TEST_MAIN}). */
  main?: string;
}

/** kumod with the test drivers registered (the `fake` network plane). */
export const KUMOD_TEST_MAIN = fileURLToPath(
  new URL('../../packages/server/dist/test-main.js', import.meta.url),
);

/** Starts kumod with the given extra environment and waits until it serves. */
export async function startKumod(
  env: Record<string, string>,
  opts: KumodOptions = {},
): Promise<KumodProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kumod-'));
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const server = await startServer({
    args: [...(opts.nodeArgs ?? []), opts.main ?? KUMOD_MAIN],
    env: {
      ...(opts.baseEnv ?? { PATH: process.env.PATH }),
      KUMO_DATA_DIR: dataDir,
      KUMO_LISTEN: `127.0.0.1:${port}`,
      KUMO_LOG_LEVEL: 'info',
      // API tests need no hypervisor; tests that do name their host explicitly.
      KUMO_LOCAL_HOST: 'none',
      // Plain HTTP unless a test asks for TLS (test/api/tls.test.ts covers the default, HTTPS).
      KUMO_TLS: 'off',
      // Tests run several kumods on one database, each with its own data dir: like production
      // replicas they share one master key (test/api/secrets.test.ts covers a mismatched one).
      KUMO_MASTER_KEY: TEST_MASTER_KEY,
      ...env,
    },
    ready: (out) => out.includes('kumod is serving'),
    logFile: opts.logFile,
    timeoutMs: opts.timeoutMs,
  });
  // Only the process that created the admin account writes credentials; others share its database.
  const credsFile = join(dataDir, 'credentials.json');
  const credentials =
    opts.adminCredentials ?? (JSON.parse(readFileSync(credsFile, 'utf8')) as CredentialsFile);
  const endpoint = `http://127.0.0.1:${port}`;
  return { ...server, endpoint, dataDir, credentials, admin: () => clientFor(endpoint, credentials) };
}

/** A kumod alone on a fresh database of the run's PostgreSQL. */
export interface TestKumod extends KumodProcess {
  dbUrl: string;
  /** Stops kumod, then removes its data directory and drops its database. */
  cleanup(): Promise<void>;
}

/** Starts kumod on a new test database (for a test file's beforeAll; cleanup() in afterAll). */
export async function startKumodOnTestDatabase(
  env: Record<string, string> = {},
  opts: KumodOptions = {},
): Promise<TestKumod> {
  const dbUrl = await createTestDatabase();
  const kumod = await startKumod({ DATABASE_URL: dbUrl, ...env }, opts).catch(async (err: unknown) => {
    await dropTestDatabase(dbUrl);
    throw err;
  });
  return {
    ...kumod,
    dbUrl,
    cleanup: async () => {
      await kumod.stop();
      removeDataDir(kumod.dataDir);
      await dropTestDatabase(dbUrl);
    },
  };
}

/** A client for an endpoint and an access key. */
export function clientFor(
  endpoint: string,
  k: { accessKey: string; secretKey: string; regionId?: string },
  regionId = k.regionId ?? 'local-1',
): KumoClient {
  return new KumoClient({ endpoint, accessKey: k.accessKey, secretKey: k.secretKey, regionId });
}

/** Creates a user account through the admin API and returns a client acting as it. */
export async function newAccount(kumod: KumodProcess, name: string): Promise<KumoClient> {
  const created = await kumod
    .admin()
    .adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', { body: { name } });
  return clientFor(kumod.endpoint, created);
}

/** Removes a data directory made by startKumod. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
