// Migration 0013: cheap describeInstances reads and leased rate budget (issue 14).
// - resource_counts holds each (account, region)'s number of instances and of keypairs, kept exact
//   by statement triggers in the writing transaction itself, so an unfiltered page reads its
//   totalCount from a few rows instead of counting the account's rows on every request.
// - Trigram indexes (pg_trgm, a trusted extension: the database owner may create it) serve the
//   fuzzy `name` (ILIKE) and `privateIpAddress` (LIKE) filters, which scanned the account's rows.
// - rate_counters.outstanding is the budget leased to kumod processes and not settled yet, and
//   last_grant what the last lease got (tables/rate-leases.ts reads it back from the upsert).
import type { Knex } from 'knex';

export const name = '0013_list_reads';

/** The tables whose rows per (account, region) resource_counts keeps. */
const COUNTED = ['instances', 'keypairs'] as const;
/** Rows each count is spread over (at least a connection pool's size: see below). */
const SHARDS = 64;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw(`ALTER TABLE rate_counters ADD COLUMN outstanding integer NOT NULL DEFAULT 0,
    ADD COLUMN last_grant integer NOT NULL DEFAULT 0`);
  await knex.raw('CREATE INDEX instances_name_trgm ON instances USING gin (name gin_trgm_ops)');
  await knex.raw('CREATE INDEX instances_ip_trgm ON instances USING gin (private_ip gin_trgm_ops)');
  // Each count is spread over SHARDS rows, one per writing connection (its backend pid modulo
  // SHARDS): concurrent inserts of one account on different connections then update different
  // rows instead of queueing on one row lock until each other's commit. The count is their sum;
  // one shard may go negative (a delete on another connection than the insert), the sum cannot.
  await knex.raw(`
    CREATE TABLE resource_counts (
      resource text NOT NULL,
      account_id text NOT NULL,
      region_id text NOT NULL,
      shard smallint NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (resource, account_id, region_id, shard)
    )`);
  // Transition tables make one count update per statement (a bulk insert is one upsert per
  // account), not one per row. The resource is the table's name. account_id and region_id of a
  // row never change (no code updates them), so inserts and deletes are the only events that
  // move a count.
  await knex.raw(`
    CREATE FUNCTION resource_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO resource_counts (resource, account_id, region_id, shard, n)
        SELECT TG_TABLE_NAME, account_id, region_id, pg_backend_pid() % ${SHARDS}, count(*)
          FROM added GROUP BY account_id, region_id ORDER BY account_id, region_id
      ON CONFLICT (resource, account_id, region_id, shard) DO UPDATE SET n = resource_counts.n + excluded.n;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION resource_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO resource_counts (resource, account_id, region_id, shard, n)
        SELECT TG_TABLE_NAME, account_id, region_id, pg_backend_pid() % ${SHARDS}, -count(*)
          FROM removed GROUP BY account_id, region_id ORDER BY account_id, region_id
      ON CONFLICT (resource, account_id, region_id, shard) DO UPDATE SET n = resource_counts.n + excluded.n;
      RETURN NULL;
    END $$`);
  for (const table of COUNTED) {
    // Taken before the backfill so no row is written between the count and the triggers.
    await knex.raw(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
    await knex.raw(`
      CREATE TRIGGER ${table}_count_insert AFTER INSERT ON ${table}
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION resource_counts_added()`);
    await knex.raw(`
      CREATE TRIGGER ${table}_count_delete AFTER DELETE ON ${table}
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION resource_counts_removed()`);
    await knex.raw(`
      INSERT INTO resource_counts (resource, account_id, region_id, shard, n)
        SELECT '${table}', account_id, region_id, 0, count(*) FROM ${table} GROUP BY account_id, region_id`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of COUNTED) {
    await knex.raw(`DROP TRIGGER ${table}_count_delete ON ${table}`);
    await knex.raw(`DROP TRIGGER ${table}_count_insert ON ${table}`);
  }
  await knex.raw('DROP FUNCTION resource_counts_removed()');
  await knex.raw('DROP FUNCTION resource_counts_added()');
  await knex.raw('DROP TABLE resource_counts');
  await knex.raw('DROP INDEX instances_ip_trgm');
  await knex.raw('DROP INDEX instances_name_trgm');
  await knex.raw('ALTER TABLE rate_counters DROP COLUMN outstanding, DROP COLUMN last_grant');
}
