// Starts real kumod processes (the built daemon, as an operator would) for API tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KumoClient } from '@kumo/client';

export const KUMOD_MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The credentials file kumod writes on first start. */
export interface CredentialsFile {
  accessKey: string;
  secretKey: string;
  endpoint: string;
  regionId: string;
}

/** A kumod child process. */
export interface KumodProcess {
  endpoint: string;
  dataDir: string;
  credentials: CredentialsFile;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far, interleaved as it arrived. */
  output(): string;
  /** Only what it wrote to stdout (its JSON log stream). */
  stdout(): string;
  /** Only what it wrote to stderr. */
  stderr(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** An admin client. */
  admin(): KumoClient;
}

/** Starts kumod with the given extra environment and waits until it serves. */
export async function startKumod(
  env: Record<string, string>,
  opts: {
    dataDir?: string;
    /** A second kumod on the same database writes no credentials file: pass the first one's. */
    adminCredentials?: CredentialsFile;
  } = {},
): Promise<KumodProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kumod-'));
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const child = spawn(process.execPath, [KUMOD_MAIN], {
    env: {
      PATH: process.env.PATH,
      KUMO_DATA_DIR: dataDir,
      KUMO_LISTEN: `127.0.0.1:${port}`,
      KUMO_LOG_LEVEL: 'info',
      // API tests need no hypervisor; tests that do name their host explicitly.
      KUMO_LOCAL_HOST: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kumod did not start in 30 s:\n${out}`)), 30_000);
    const check = setInterval(() => {
      if (out.includes('kumod is serving')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`kumod exited with ${code}:\n${out}`));
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  // Only the process that created the admin account writes credentials; others share its database.
  const credsFile = join(dataDir, 'credentials.json');
  const credentials =
    opts.adminCredentials ?? (JSON.parse(readFileSync(credsFile, 'utf8')) as CredentialsFile);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    dataDir,
    credentials,
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    admin: () => clientFor(`http://127.0.0.1:${port}`, credentials),
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
