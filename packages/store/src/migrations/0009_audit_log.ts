// Migration 0009: the audit trail — one row per authenticated call that could change something
// (every method but GET), accepted or refused: who, with which key, from where, what, the outcome.
import type { Knex } from 'knex';

export const name = '0009_audit_log';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('account_id').notNullable();
    t.text('access_key').notNullable();
    t.text('request_id').notNullable();
    t.text('operation').notNullable();
    t.text('method').notNullable();
    t.text('path').notNullable();
    // Path parameters (instanceId, vpcId, …): what the call was about.
    t.jsonb('resources').notNullable();
    t.text('source_ip').notNullable();
    t.integer('http_status').notNullable();
    t.text('error_status');
    t.index(['account_id', 'id']);
    t.index(['at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
