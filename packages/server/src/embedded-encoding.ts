// Embedded clusters made before Kumo asked initdb for UTF-8 are SQL_ASCII with C collation, where
// length() counts bytes and ilike compares bytes. At start such a cluster is copied into a new
// UTF-8 cluster beside it, which then takes its place; the old one is kept, renamed, for the
// operator to remove. Crash-safe: the old cluster stays the live one until the copy is complete
// (a marker file), and a start that finds the swap half done finishes it.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyKumoTables, migrateLatest, openDatabase } from '@kumo/store';
import { CLUSTER_DIR, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import type { Logger } from './logger.js';

const NEW_DIR = `${CLUSTER_DIR}.utf8`;
const COMPLETE = '.kumo-copy-complete';

/** Finishes a swap a crash interrupted: the complete new cluster takes the old one's place. */
export function finishInterruptedSwap(dataDir: string): void {
  const live = join(dataDir, CLUSTER_DIR);
  const fresh = join(dataDir, NEW_DIR);
  if (!existsSync(join(fresh, COMPLETE))) return;
  if (existsSync(live)) renameSync(live, join(dataDir, `${CLUSTER_DIR}.sql_ascii-${Date.now()}`));
  rmSync(join(fresh, COMPLETE));
  renameSync(fresh, live);
}

/**
 * Copies the running SQL_ASCII cluster `old` (already migrated to the latest schema) into a new
 * UTF-8 cluster, swaps the directories and returns the new cluster, started. Refuses (and leaves
 * the old cluster as it was) when a text value is not valid UTF-8.
 */
export async function upgradeToUtf8(
  dataDir: string,
  old: EmbeddedDatabase,
  port: number,
  log: Logger,
): Promise<EmbeddedDatabase> {
  rmSync(join(dataDir, NEW_DIR), { recursive: true, force: true });
  const fresh = await startEmbeddedPostgres(dataDir, 0, log, NEW_DIR);
  try {
    const db = openDatabase({ url: fresh.url, poolMax: 2 });
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }
    const rows = await copyKumoTables(old.url, fresh.url);
    log.info({ rows }, 'copied the SQL_ASCII embedded cluster into a UTF-8 one');
  } catch (err) {
    await fresh.stop().catch(() => undefined);
    rmSync(join(dataDir, NEW_DIR), { recursive: true, force: true });
    throw err;
  }
  await fresh.stop();
  writeFileSync(join(dataDir, NEW_DIR, COMPLETE), '');
  await old.stop();
  finishInterruptedSwap(dataDir);
  return startEmbeddedPostgres(dataDir, port, log);
}
