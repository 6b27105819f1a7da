// Migration 0020: whole-machine images. `data_disks` lists the data disks an instance launched
// from the image gets ([{deviceName, diskType, diskSizeGB, snapshotId?, autoDelete}]): snapshots
// createImage took of the source's disks, or specs the request added. A GIN index answers "which
// image names this snapshot" (deleteSnapshot refuses those).
import type { Knex } from 'knex';

export const name = '0020_image_data_disks';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('images', (t) => {
    t.jsonb('data_disks').notNullable().defaultTo('[]');
  });
  await knex.raw('CREATE INDEX images_data_disks ON images USING gin (data_disks jsonb_path_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX images_data_disks');
  await knex.schema.alterTable('images', (t) => {
    t.dropColumn('data_disks');
  });
}
