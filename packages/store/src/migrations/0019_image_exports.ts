// Migration 0019: image exports (JD's exportImage) are image tasks too: `target_url` is where an
// export writes (an `s3://` URL in the image exchange bucket); imports keep theirs in source_url.
import type { Knex } from 'knex';

export const name = '0019_image_exports';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('image_tasks', (t) => {
    t.text('target_url').notNullable().defaultTo('');
  });
  await knex.raw(`ALTER TABLE image_tasks ADD CONSTRAINT image_tasks_action
    CHECK (action IN ('ImportImage', 'ExportImage'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE image_tasks DROP CONSTRAINT image_tasks_action');
  await knex.schema.alterTable('image_tasks', (t) => {
    t.dropColumn('target_url');
  });
}
