// Migration 0015: attaching a network interface to an instance and detaching it is a task on the
// interface's row (attachNetworkInterface, detachNetworkInterface), run by a leased worker: the
// task ('attach' or 'detach'), the lease (owner and until when) and why the last one failed.
// An interface with instance_id set and no task is attached, as every one is before this.
import type { Knex } from 'knex';

export const name = '0015_interface_attachments';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('network_interfaces', (t) => {
    t.text('attach_task');
    t.text('attach_owner');
    t.timestamp('attach_until', { useTz: true });
    t.text('attach_error');
  });
  await knex.raw(`ALTER TABLE network_interfaces ADD CONSTRAINT network_interfaces_attach_task
    CHECK (attach_task IS NULL OR (attach_task IN ('attach','detach') AND instance_id IS NOT NULL))`);
  // Two interfaces never hold one device slot of an instance.
  await knex.raw(`CREATE UNIQUE INDEX network_interfaces_device_slot ON network_interfaces (instance_id, device_index)
    WHERE instance_id IS NOT NULL AND deleting = false`);
  await knex.raw(`CREATE INDEX network_interfaces_attach_work ON network_interfaces (created_at)
    WHERE attach_task IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX network_interfaces_attach_work');
  await knex.raw('DROP INDEX network_interfaces_device_slot');
  await knex.raw('ALTER TABLE network_interfaces DROP CONSTRAINT network_interfaces_attach_task');
  await knex.schema.alterTable('network_interfaces', (t) => {
    t.dropColumn('attach_task');
    t.dropColumn('attach_owner');
    t.dropColumn('attach_until');
    t.dropColumn('attach_error');
  });
}
