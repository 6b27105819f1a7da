// Migration 0005: one row sealed under the control plane's master key, so every kumod can prove at
// start that its master key is the one the database's secrets are sealed with — also on a fresh
// database, before any secret exists, and when replicas start at the same moment.
import type { Knex } from 'knex';

export const name = '0005_master_key_check';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('master_key_check', (t) => {
    t.integer('id').primary().checkPositive();
    t.text('sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE master_key_check ADD CONSTRAINT master_key_check_one_row CHECK (id = 1)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('master_key_check');
}
