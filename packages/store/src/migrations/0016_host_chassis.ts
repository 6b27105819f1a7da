// Migration 0016: the OVN chassis name of a host (ovn-controller's system-id there). Ports of
// instances on the host are bound to it alone (the logical port's requested-chassis), so no other
// hypervisor can claim them. Null: unknown, and ports bind wherever their interface appears.
import type { Knex } from 'knex';

export const name = '0016_host_chassis';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hosts', (t) => {
    t.text('chassis');
  });
  await knex.raw(`ALTER TABLE hosts ADD CONSTRAINT hosts_chassis_name
    CHECK (chassis IS NULL OR chassis ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE hosts DROP CONSTRAINT hosts_chassis_name');
  await knex.schema.alterTable('hosts', (t) => {
    t.dropColumn('chassis');
  });
}
