// Migration 0011: the storage plane — the admin's storage backends per AZ, JD's cloud disks and
// snapshots, and disk attachments. Every disk and snapshot row carries its task in flight (the
// operation a worker drives into the backend, with a lease so a killed kumod's work is taken
// over), so the desired state is in the database before any volume is touched.
// Migrations never import application code: what they create is written out here in full.
import type { Knex } from 'knex';

export const name = '0011_storage';

/** The task columns of rows a storage worker drives. */
function task(t: Knex.CreateTableBuilder, knex: Knex): void {
  // What the worker must do next (null: nothing), its arguments, and who holds it until when.
  t.text('task');
  t.jsonb('task_args');
  t.text('task_owner');
  t.timestamp('task_until', { useTz: true });
  t.text('error_reason');
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('storage_backends', (t) => {
    t.text('id').primary();
    t.text('region_id').notNullable();
    t.text('az').notNullable();
    t.text('kind').notNullable();
    t.text('name').notNullable();
    // Driver settings (local: path; rbd: cephPool, monitors, user, key).
    t.jsonb('config').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // One backend per AZ: where a disk goes follows from its AZ alone.
    t.unique(['region_id', 'az']);
  });
  await knex.raw(
    `ALTER TABLE storage_backends ADD CONSTRAINT storage_backends_kind CHECK (kind IN ('local', 'rbd'))`,
  );

  await knex.schema.createTable('disks', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('az').notNullable();
    t.text('backend_id').notNullable().references('storage_backends.id');
    // A local disk's host; null on shared backends.
    t.text('host_id');
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('disk_type').notNullable();
    t.integer('size_gb').notNullable();
    t.text('status').notNullable();
    t.text('snapshot_id');
    t.boolean('multi_attachable').notNullable().defaultTo(false);
    t.text('client_token');
    task(t, knex);
    t.index(['account_id', 'region_id', 'created_at']);
  });
  // maxCount disks share one token: idempotency is a lookup under the account's create lock.
  await knex.raw(
    `CREATE INDEX disks_client_token ON disks (account_id, client_token) WHERE client_token IS NOT NULL`,
  );
  await knex.raw(`CREATE INDEX disks_work ON disks (task_until) WHERE task IS NOT NULL`);

  await knex.schema.createTable('snapshots', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('disk_id').notNullable();
    t.text('backend_id').notNullable().references('storage_backends.id');
    t.text('host_id');
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('size_gb').notNullable();
    t.text('status').notNullable();
    t.text('client_token');
    task(t, knex);
    t.index(['account_id', 'region_id', 'created_at']);
  });
  await knex.raw(`CREATE UNIQUE INDEX snapshots_client_token ON snapshots (account_id, client_token)`);
  await knex.raw(`CREATE INDEX snapshots_work ON snapshots (task_until) WHERE task IS NOT NULL`);

  await knex.schema.createTable('disk_attachments', (t) => {
    t.text('disk_id').notNullable().references('disks.id').onDelete('CASCADE');
    t.text('instance_id').notNullable();
    t.text('device_name');
    t.boolean('auto_delete').notNullable().defaultTo(false);
    // attaching, attached, detaching (JD's attachment statuses).
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['disk_id', 'instance_id']);
    t.index(['instance_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('disk_attachments');
  await knex.schema.dropTable('snapshots');
  await knex.schema.dropTable('disks');
  await knex.schema.dropTable('storage_backends');
}
