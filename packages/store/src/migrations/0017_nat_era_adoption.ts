// Migration 0017: moving instances of the NAT era (a libvirt NAT network on their host, no network
// interface rows) onto the network plane. `instances.nat_era` marks the ones still to move; it is
// cleared once the instance's domain is on its OVN port. `subnets.adopted_from` names the shared
// subnet an account subnet took over (same prefix and gateway, so a guest keeps its address).
import type { Knex } from 'knex';

export const name = '0017_nat_era_adoption';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.boolean('nat_era').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('subnets', (t) => {
    t.text('adopted_from');
  });
  await knex.raw(`CREATE UNIQUE INDEX subnets_adopted_from ON subnets (account_id, adopted_from)
    WHERE adopted_from IS NOT NULL`);
  // Every instance with no interface is of the NAT era: created before the network plane.
  await knex.raw(`UPDATE instances SET nat_era = true
    WHERE NOT EXISTS (SELECT 1 FROM network_interfaces n WHERE n.instance_id = instances.id)`);
  await knex.raw(`CREATE INDEX instances_nat_era ON instances (host_id, subnet_id) WHERE nat_era`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX instances_nat_era');
  await knex.raw('DROP INDEX subnets_adopted_from');
  await knex.schema.alterTable('subnets', (t) => {
    t.dropColumn('adopted_from');
  });
  await knex.schema.alterTable('instances', (t) => {
    t.dropColumn('nat_era');
  });
}
