// Migration 0006: the network inventory of JD's vpc service — VPCs, per-account subnets, security
// groups and rules, network interfaces and their addresses, elastic IPs, EIP pools and external
// networks — each row carrying what the network-plane converger needs (desired and converged
// generation, a tombstone flag, a lease). Today's shared default subnets (account_id NULL) stay
// as they are for the instances that use them.
// Migrations never import application code: what they create is written out here in full.
import type { Knex } from 'knex';

export const name = '0006_network_inventory';

/** Columns of every object driven into the network plane (see the converger). */
function convergence(t: Knex.CreateTableBuilder | Knex.AlterTableBuilder, knex: Knex): void {
  // Bumped by every change the plane must see; the converger copies it to converged_generation.
  t.integer('generation').notNullable().defaultTo(1);
  t.integer('converged_generation').notNullable().defaultTo(0);
  // A tombstone: removed from the plane first, the row deleted after.
  t.boolean('deleting').notNullable().defaultTo(false);
  t.text('sync_owner');
  t.timestamp('sync_until', { useTz: true });
  t.text('sync_error');
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('vpcs', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('cidr').notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    // Which block of the operator's default-VPC pool this default VPC holds (unique per region).
    t.integer('default_slot');
    // The VPC router's port on an external network, made when its first EIP is associated.
    t.text('gateway_network_id');
    t.text('gateway_ip');
    t.text('gateway_mac');
    convergence(t, knex);
    t.index(['account_id', 'region_id', 'created_at']);
  });
  await knex.raw(`CREATE UNIQUE INDEX vpcs_one_default ON vpcs (account_id, region_id) WHERE is_default`);
  await knex.raw(
    `CREATE UNIQUE INDEX vpcs_default_slot ON vpcs (region_id, default_slot) WHERE default_slot IS NOT NULL`,
  );

  // Subnets become per account. The shared defaults keep their uniqueness among themselves.
  await knex.schema.alterTable('subnets', (t) => {
    t.dropUnique(['region_id', 'az']);
    t.dropUnique(['cidr']);
    t.text('account_id').references('accounts.id').onDelete('CASCADE');
    t.text('name').notNullable().defaultTo('');
    t.text('description').notNullable().defaultTo('');
    t.boolean('is_default').notNullable().defaultTo(false);
    t.text('gateway_mac');
    convergence(t, knex);
  });
  await knex.raw(`CREATE UNIQUE INDEX subnets_shared_az ON subnets (region_id, az) WHERE account_id IS NULL`);
  await knex.raw(`CREATE UNIQUE INDEX subnets_shared_cidr ON subnets (cidr) WHERE account_id IS NULL`);
  await knex.raw(
    `CREATE UNIQUE INDEX subnets_one_default ON subnets (vpc_id, az) WHERE is_default AND account_id IS NOT NULL`,
  );
  await knex.raw(`CREATE INDEX subnets_account ON subnets (account_id, region_id, created_at)`);

  await knex.schema.createTable('security_groups', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('vpc_id').notNullable().references('vpcs.id');
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.boolean('is_default').notNullable().defaultTo(false);
    convergence(t, knex);
    t.index(['account_id', 'region_id', 'created_at']);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX security_groups_one_default ON security_groups (vpc_id) WHERE is_default`,
  );

  await knex.schema.createTable('security_group_rules', (t) => {
    t.text('id').primary();
    t.text('group_id').notNullable().references('security_groups.id').onDelete('CASCADE');
    t.text('direction').notNullable();
    t.text('protocol').notNullable();
    t.integer('from_port');
    t.integer('to_port');
    t.text('cidr').notNullable();
    t.text('action').notNullable().defaultTo('allow');
    t.integer('priority').notNullable().defaultTo(100);
    t.text('description').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['group_id']);
  });
  await knex.raw(`ALTER TABLE security_group_rules
    ADD CONSTRAINT security_group_rules_known CHECK (direction IN ('ingress','egress')
      AND protocol IN ('tcp','udp','icmp','all') AND action IN ('allow','deny')
      AND priority BETWEEN 1 AND 100
      AND (from_port IS NULL OR from_port BETWEEN 1 AND 65535)
      AND (to_port IS NULL OR to_port BETWEEN 1 AND 65535))`);

  await knex.schema.createTable('network_interfaces', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('az').notNullable();
    t.text('vpc_id').notNullable();
    t.text('subnet_id').notNullable().references('subnets.id');
    // The logical switch port's name and libvirt's interfaceid.
    t.uuid('interface_id').notNullable().unique();
    t.text('mac').notNullable().unique();
    t.text('primary_ip').notNullable();
    t.text('name').notNullable().defaultTo('');
    t.text('description').notNullable().defaultTo('');
    t.specificType('security_group_ids', 'text[]').notNullable().defaultTo('{}');
    t.text('role').notNullable().defaultTo('Secondary');
    t.text('instance_id');
    t.integer('device_index');
    t.boolean('auto_delete').notNullable().defaultTo(false);
    convergence(t, knex);
    t.index(['account_id', 'region_id', 'created_at']);
    t.index(['instance_id']);
  });
  // Every address handed out in a subnet, primary or secondary: the key makes each one unique.
  await knex.schema.createTable('subnet_addresses', (t) => {
    t.text('subnet_id').notNullable().references('subnets.id');
    t.text('ip').notNullable();
    t.text('interface_id').notNullable().references('network_interfaces.id').onDelete('CASCADE');
    t.boolean('is_primary').notNullable().defaultTo(false);
    t.primary(['subnet_id', 'ip']);
    t.index(['interface_id']);
  });

  await knex.schema.createTable('external_networks', (t) => {
    t.text('id').primary();
    t.text('region_id').notNullable();
    t.text('cidr').notNullable();
    t.text('gateway').notNullable();
    t.text('physical_network').notNullable();
    t.integer('vlan');
    t.specificType('gateway_chassis', 'text[]').notNullable().defaultTo('{}');
    convergence(t, knex);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX vpcs_gateway_ip ON vpcs (gateway_network_id, gateway_ip) WHERE gateway_ip IS NOT NULL`,
  );
  await knex.schema.createTable('eip_pools', (t) => {
    t.text('id').primary();
    t.text('region_id').notNullable();
    t.text('external_network_id').notNullable().references('external_networks.id');
    t.text('cidr').notNullable();
    t.text('provider').notNullable().defaultTo('bgp');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('elastic_ips', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('pool_id').notNullable().references('eip_pools.id');
    t.text('ip').notNullable();
    t.text('provider').notNullable();
    t.integer('bandwidth_mbps').notNullable();
    t.text('interface_id').references('network_interfaces.id');
    t.text('private_ip');
    // Released with the instance it was created with (createInstances' elasticIp).
    t.text('created_with_instance_id');
    convergence(t, knex);
    t.unique(['region_id', 'ip']);
    t.index(['account_id', 'region_id', 'created_at']);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX elastic_ips_one_per_address ON elastic_ips (interface_id, private_ip) WHERE interface_id IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'elastic_ips',
    'eip_pools',
    'external_networks',
    'subnet_addresses',
    'network_interfaces',
    'security_group_rules',
    'security_groups',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw(`DELETE FROM subnets WHERE account_id IS NOT NULL`);
  await knex.raw(
    `DROP INDEX IF EXISTS subnets_shared_az, subnets_shared_cidr, subnets_one_default, subnets_account`,
  );
  await knex.schema.alterTable('subnets', (t) => {
    for (const c of [
      'account_id',
      'name',
      'description',
      'is_default',
      'gateway_mac',
      'generation',
      'converged_generation',
      'deleting',
      'sync_owner',
      'sync_until',
      'sync_error',
      'created_at',
    ])
      t.dropColumn(c);
    t.unique(['region_id', 'az']);
    t.unique(['cidr']);
  });
  await knex.schema.dropTableIfExists('vpcs');
}
