// Migration 0013: cheap describeInstances reads and leased rate budget (issue 14).
// - instance_counts holds each (account, region)'s number of instances, kept exact by statement
//   triggers on instances in the writing transaction itself, so an unfiltered page reads its
//   totalCount from one row instead of counting the account's rows on every request. The row is
//   locked by an insert or delete until it commits; creates of an account already serialise on
//   its create lock (services/instances.ts), so this adds no new waiting there.
// - Trigram indexes (pg_trgm, a trusted extension: the database owner may create it) serve the
//   fuzzy `name` (ILIKE) and `privateIpAddress` (LIKE) filters, which scanned the account's rows.
// - rate_counters.outstanding is the budget leased to kumod processes and not settled yet, and
//   last_grant what the last lease got (tables/rate-leases.ts reads it back from the upsert).
import type { Knex } from 'knex';

export const name = '0013_list_reads';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw(`ALTER TABLE rate_counters ADD COLUMN outstanding integer NOT NULL DEFAULT 0,
    ADD COLUMN last_grant integer NOT NULL DEFAULT 0`);
  await knex.raw('CREATE INDEX instances_name_trgm ON instances USING gin (name gin_trgm_ops)');
  await knex.raw('CREATE INDEX instances_ip_trgm ON instances USING gin (private_ip gin_trgm_ops)');
  await knex.raw(`
    CREATE TABLE instance_counts (
      account_id text NOT NULL,
      region_id text NOT NULL,
      n bigint NOT NULL CHECK (n >= 0),
      PRIMARY KEY (account_id, region_id)
    )`);
  // Transition tables make one count update per statement (a bulk insert is one upsert per
  // account), not one per row. account_id and region_id of an instance never change (no code
  // updates them), so inserts and deletes are the only events that move a count.
  await knex.raw(`
    CREATE FUNCTION instance_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO instance_counts (account_id, region_id, n)
        SELECT account_id, region_id, count(*) FROM added GROUP BY account_id, region_id
        ORDER BY account_id, region_id
      ON CONFLICT (account_id, region_id) DO UPDATE SET n = instance_counts.n + excluded.n;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION instance_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE instance_counts c SET n = c.n - r.k
        FROM (SELECT account_id, region_id, count(*) AS k FROM removed GROUP BY account_id, region_id) r
       WHERE c.account_id = r.account_id AND c.region_id = r.region_id;
      RETURN NULL;
    END $$`);
  // Taken before the backfill so no instance is written between the count and the triggers.
  await knex.raw('LOCK TABLE instances IN SHARE ROW EXCLUSIVE MODE');
  await knex.raw(`
    CREATE TRIGGER instances_count_insert AFTER INSERT ON instances
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION instance_counts_added()`);
  await knex.raw(`
    CREATE TRIGGER instances_count_delete AFTER DELETE ON instances
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION instance_counts_removed()`);
  await knex.raw(`
    INSERT INTO instance_counts (account_id, region_id, n)
      SELECT account_id, region_id, count(*) FROM instances GROUP BY account_id, region_id`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER instances_count_delete ON instances');
  await knex.raw('DROP TRIGGER instances_count_insert ON instances');
  await knex.raw('DROP FUNCTION instance_counts_removed()');
  await knex.raw('DROP FUNCTION instance_counts_added()');
  await knex.raw('DROP TABLE instance_counts');
  await knex.raw('DROP INDEX instances_ip_trgm');
  await knex.raw('DROP INDEX instances_name_trgm');
  await knex.raw('ALTER TABLE rate_counters DROP COLUMN outstanding, DROP COLUMN last_grant');
}
