// Migration 0002: hosts and capacity claims, images, the default network plane (VPCs, subnets,
// IP allocations), instances, client tokens and the per-instance action log.
// Migrations never import application code: what they create is written out here in full.
import type { Knex } from 'knex';

export const name = '0002_instances';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('hosts', (t) => {
    t.text('id').primary();
    t.text('name').notNullable().unique();
    t.text('uri').notNullable();
    t.text('region_id').notNullable();
    t.text('az').notNullable();
    t.text('pool_path').notNullable();
    t.text('accelerator').notNullable().defaultTo('probe');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('health').notNullable().defaultTo('unknown');
    t.text('health_reason');
    t.timestamp('last_seen_at', { useTz: true });
    t.text('arch').notNullable().defaultTo('x86_64');
    t.boolean('nested_virt').notNullable().defaultTo(false);
    t.integer('total_vcpus').notNullable().defaultTo(0);
    t.integer('total_memory_mb').notNullable().defaultTo(0);
    t.integer('total_disk_gb').notNullable().defaultTo(0);
    t.decimal('cpu_ratio', 6, 2).notNullable().defaultTo(4);
    t.decimal('memory_ratio', 6, 2).notNullable().defaultTo(1);
    t.decimal('disk_ratio', 6, 2).notNullable().defaultTo(1);
    t.integer('used_vcpus').notNullable().defaultTo(0);
    t.integer('used_memory_mb').notNullable().defaultTo(0);
    t.integer('used_disk_gb').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_id', 'az']);
  });
  // The guard that makes oversubscription impossible whatever the callers do: a claim that would
  // pass usable capacity (total × ratio) fails its UPDATE with a check violation.
  await knex.raw(`ALTER TABLE hosts
    ADD CONSTRAINT hosts_vcpus_fit CHECK (used_vcpus >= 0 AND used_vcpus <= floor(total_vcpus * cpu_ratio)),
    ADD CONSTRAINT hosts_memory_fit CHECK (used_memory_mb >= 0 AND used_memory_mb <= floor(total_memory_mb * memory_ratio)),
    ADD CONSTRAINT hosts_disk_fit CHECK (used_disk_gb >= 0 AND used_disk_gb <= floor(total_disk_gb * disk_ratio)),
    ADD CONSTRAINT hosts_ratios CHECK (cpu_ratio > 0 AND memory_ratio > 0 AND disk_ratio > 0)`);

  await knex.schema.createTable('images', (t) => {
    t.text('id').primary();
    t.text('region_id').notNullable();
    t.text('owner_account_id').references('accounts.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('image_source').notNullable().defaultTo('public');
    t.text('platform').notNullable();
    t.text('os_type').notNullable().defaultTo('linux');
    t.text('os_version').notNullable();
    t.text('architecture').notNullable();
    t.text('status').notNullable().defaultTo('ready');
    t.integer('min_disk_gb').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.text('files_dir').notNullable();
    t.jsonb('manifest').notNullable();
    t.jsonb('constraint_types');
    t.text('constraint_kind');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_id']);
  });

  await knex.schema.createTable('subnets', (t) => {
    t.text('id').primary();
    t.text('vpc_id').notNullable();
    t.text('region_id').notNullable();
    t.text('az').notNullable();
    t.text('cidr').notNullable().unique();
    t.text('gateway').notNullable();
    t.integer('prefix').notNullable();
    t.unique(['region_id', 'az']);
  });

  await knex.schema.createTable('instances', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id');
    t.text('region_id').notNullable();
    t.text('az').notNullable();
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('hostname').notNullable();
    t.text('instance_type').notNullable();
    t.integer('vcpus').notNullable();
    t.integer('memory_mb').notNullable();
    t.boolean('nested_virt').notNullable().defaultTo(false);
    t.text('image_id').notNullable();
    t.text('host_id').references('hosts.id');
    t.text('status').notNullable();
    t.text('task');
    t.text('task_owner');
    t.timestamp('task_heartbeat_at', { useTz: true });
    t.jsonb('task_args');
    t.text('power_state').notNullable().defaultTo('absent');
    t.text('subnet_id').notNullable().references('subnets.id');
    t.text('vpc_id').notNullable();
    t.text('network_interface_id').notNullable();
    t.text('private_ip').notNullable();
    t.text('mac').notNullable().unique();
    t.specificType('key_names', 'text[]').notNullable().defaultTo('{}');
    t.text('password_hash');
    t.text('pending_password_hash');
    t.text('userdata');
    t.text('system_disk_category').notNullable();
    t.integer('system_disk_gb').notNullable();
    t.text('error_reason');
    t.integer('spawn_attempts').notNullable().defaultTo(0);
    t.timestamp('launch_time', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'region_id', 'created_at']);
    t.index(['host_id']);
    t.index(['task']);
  });
  // One address per subnet: concurrent creates cannot hand the same IP out twice.
  await knex.raw(`CREATE UNIQUE INDEX instances_subnet_ip ON instances (subnet_id, private_ip)`);
  await knex.raw(`ALTER TABLE instances ADD CONSTRAINT instances_status_known CHECK (status IN
    ('pending','starting','running','stopping','stopped','rebooting','rebuilding','resizing','deleting','error'))`);

  // A host's capacity held by one instance; hosts.used_* always equals the sum of its claims.
  await knex.schema.createTable('claims', (t) => {
    // Deferred: placement claims capacity before the instance row is written in the same transaction.
    t.text('instance_id').primary().references('instances.id').onDelete('CASCADE').deferrable('deferred');
    t.text('host_id').notNullable().references('hosts.id');
    t.integer('vcpus').notNullable();
    t.integer('memory_mb').notNullable();
    t.integer('disk_gb').notNullable();
    t.index(['host_id']);
  });

  await knex.schema.createTable('client_tokens', (t) => {
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('region_id').notNullable();
    t.text('token').notNullable();
    t.specificType('instance_ids', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'region_id', 'token']);
  });

  await knex.schema.createTable('instance_actions', (t) => {
    t.bigIncrements('id');
    t.text('instance_id').notNullable();
    t.text('account_id').notNullable();
    t.text('action').notNullable();
    t.text('requested_by').notNullable();
    t.text('request_id');
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('outcome').notNullable().defaultTo('accepted');
    t.text('detail');
    t.timestamp('finished_at', { useTz: true });
    t.index(['instance_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'instance_actions',
    'client_tokens',
    'claims',
    'instances',
    'subnets',
    'images',
    'hosts',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
