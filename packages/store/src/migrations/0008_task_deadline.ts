// Migration 0008: when the task in flight was claimed, so a task that cannot finish (its host is
// gone) fails after a deadline instead of holding the instance, its quota and its capacity forever.
import type { Knex } from 'knex';

export const name = '0008_task_deadline';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.timestamp('task_claimed_at', { useTz: true }).nullable();
  });
  await knex.raw('UPDATE instances SET task_claimed_at = updated_at WHERE task IS NOT NULL');
  // Every insert with a task (a spawn) gets its claim time without naming the column.
  await knex.raw('ALTER TABLE instances ALTER COLUMN task_claimed_at SET DEFAULT now()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.dropColumn('task_claimed_at');
  });
}
