// Brings the schema up to date under a Postgres advisory lock, so many kumod processes may start at once.
import type { Database } from './db.js';
import { migrationSource } from './migrations/index.js';

// An arbitrary constant shared by every kumod: "kumo" in ASCII, then 0001 for "migrations".
const MIGRATION_LOCK_KEY = 0x6b756d6f0001n;

/** Result of {@link migrateLatest}: the migrations this call applied (empty when already current). */
export interface MigrateResult {
  applied: string[];
}

/**
 * Applies pending migrations. The advisory lock is held on one dedicated connection for the
 * whole run, so a second process waits and then finds nothing left to do.
 */
export async function migrateLatest(db: Database): Promise<MigrateResult> {
  const conn = await db.client.acquireConnection();
  try {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      const [, applied] = (await db.migrate.latest({
        migrationSource,
        disableMigrationsListValidation: false,
      })) as [number, string[]];
      return { applied };
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/** Rolls every migration back (used by tests that check migrations run up from empty). */
export async function migrateDownAll(db: Database): Promise<void> {
  await db.migrate.rollback({ migrationSource }, true);
}
