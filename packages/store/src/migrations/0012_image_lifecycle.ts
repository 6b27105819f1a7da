// Migration 0012: the image lifecycle. Images made from instances (createImage) and copies carry
// where they came from, a progress percentage and an error reason; image_shares lists the
// accounts a private image is shared with (JD's pins), at most one row per (image, account).
import type { Knex } from 'knex';

export const name = '0012_image_lifecycle';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('images', (t) => {
    t.integer('progress').notNullable().defaultTo(100);
    t.text('error_reason');
    t.text('source_instance_id');
    t.text('source_image_id');
    t.index(['owner_account_id']);
  });
  await knex.raw(
    'ALTER TABLE images ADD CONSTRAINT images_progress_range CHECK (progress >= 0 AND progress <= 100)',
  );
  await knex.schema.createTable('image_shares', (t) => {
    t.text('image_id').notNullable().references('images.id').onDelete('CASCADE');
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['image_id', 'account_id']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('image_shares');
  await knex.raw('ALTER TABLE images DROP CONSTRAINT images_progress_range');
  await knex.schema.alterTable('images', (t) => {
    t.dropIndex(['owner_account_id']);
    t.dropColumn('progress');
    t.dropColumn('error_reason');
    t.dropColumn('source_instance_id');
    t.dropColumn('source_image_id');
  });
}
