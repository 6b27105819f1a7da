// Migration 0001: accounts, access keys, request nonces, rate counters and keypairs.
// Migrations never import application code: what they create is written out here in full.
import type { Knex } from 'knex';

export const name = '0001_foundation';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.text('id').primary();
    t.text('name').notNullable().unique();
    t.boolean('is_admin').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('access_keys', (t) => {
    t.text('access_key').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    // HMAC verification needs the secret itself, so it is stored; the database is the trust boundary.
    t.text('secret_key').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id']);
  });
  // One row per accepted request nonce, kept only as long as a signed date stays acceptable.
  await knex.schema.createTable('request_nonces', (t) => {
    t.text('access_key').notNullable();
    t.text('nonce').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['access_key', 'nonce']);
    t.index(['expires_at']);
  });
  // Fixed windows that start at a bucket's first call, shared by every kumod process.
  await knex.schema.createTable('rate_counters', (t) => {
    t.text('bucket').primary();
    t.timestamp('window_start', { useTz: true }).notNullable();
    t.integer('count').notNullable();
  });
  await knex.schema.createTable('keypairs', (t) => {
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('key_name').notNullable();
    t.text('public_key').notNullable();
    t.text('fingerprint').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'region_id', 'key_name']);
    // describeKeypairs pages in creation order: this index serves the ORDER BY and the count.
    t.index(['account_id', 'region_id', 'created_at', 'key_name'], 'keypairs_page');
  });
  await knex.raw(
    `ALTER TABLE keypairs ADD CONSTRAINT keypairs_name_shape CHECK (key_name ~ '^[A-Za-z0-9_-]{1,32}$')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['keypairs', 'rate_counters', 'request_nonces', 'access_keys', 'accounts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
