// Migration 0018: image import tasks (JD's importImage and imageTasks). A task row is written with
// its `pending` image in one transaction and outlives it (imageTasks still answers for an image
// deleted after a failed import). Workers claim unfinished rows under a lease, like disk tasks;
// the source URL stays in the row for a re-run and is never shown or logged past its origin.
import type { Knex } from 'knex';

export const name = '0018_image_tasks';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('image_tasks', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('action').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('image_id').notNullable();
    t.text('source_url').notNullable();
    t.integer('system_disk_gb').notNullable();
    t.integer('progress').notNullable().defaultTo(0);
    t.text('message').notNullable().defaultTo('');
    t.text('client_token');
    t.text('task_owner');
    t.timestamp('task_until', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['account_id', 'region_id', 'created_at']);
  });
  await knex.raw(`ALTER TABLE image_tasks ADD CONSTRAINT image_tasks_status
    CHECK (status IN ('pending', 'running', 'failed', 'finished'))`);
  await knex.raw(`CREATE UNIQUE INDEX image_tasks_client_token ON image_tasks (account_id, region_id, client_token)
    WHERE client_token IS NOT NULL`);
  await knex.raw(
    `CREATE INDEX image_tasks_open ON image_tasks (created_at) WHERE status IN ('pending', 'running')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('image_tasks');
}
