// Migration 0004: the step a task has reached, so a task taken over by another kumod resumes at
// that step instead of starting over (every step is idempotent; this saves the re-checks and
// keeps a spawn that already moved hosts from moving again).
import type { Knex } from 'knex';

export const name = '0004_task_step';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.text('task_step');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.dropColumn('task_step');
  });
}
