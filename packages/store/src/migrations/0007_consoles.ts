// Migration 0007: console tokens. describeInstanceVncUrl hands out a URL with a single-use token;
// only its SHA-256 is stored, bound to the account and instance, so any kumod replica can check and
// consume it and a database dump reveals no usable token.
import type { Knex } from 'knex';

export const name = '0007_consoles';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('console_tokens', (t) => {
    t.text('token_sha256').primary();
    t.text('account_id').notNullable();
    // A deleted instance takes its unused tokens with it.
    t.text('instance_id').notNullable().references('instances.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.text('requested_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.text('used_from');
    t.index(['instance_id']);
    t.index(['expires_at']);
  });
  await knex.raw(
    `ALTER TABLE console_tokens ADD CONSTRAINT console_tokens_kind CHECK (kind IN ('vnc', 'serial'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('console_tokens');
}
