// Migration 0003: indexes for describeInstances (bench/describe-instances). Pages are ordered by
// (created_at, id) within an account and region: with `id` in the index a page walks it in order
// instead of sorting every row before the offset, and the count can be an index-only scan. The
// status and az filters get the same ordered path. The 0002 index (account_id, region_id,
// created_at) is a prefix of the new one and goes.
import type { Knex } from 'knex';

export const name = '0003_instance_list_indexes';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX instances_list ON instances (account_id, region_id, created_at, id)');
  await knex.raw(
    'CREATE INDEX instances_list_status ON instances (account_id, region_id, status, created_at, id)',
  );
  await knex.raw('CREATE INDEX instances_list_az ON instances (account_id, region_id, az, created_at, id)');
  await knex.raw('DROP INDEX IF EXISTS instances_account_id_region_id_created_at_index');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX instances_account_id_region_id_created_at_index ON instances (account_id, region_id, created_at)',
  );
  await knex.raw('DROP INDEX IF EXISTS instances_list_az');
  await knex.raw('DROP INDEX IF EXISTS instances_list_status');
  await knex.raw('DROP INDEX IF EXISTS instances_list');
}
