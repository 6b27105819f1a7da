// The ordered list of migrations, given to knex as an in-code migration source (no file globbing).
import type { Knex } from 'knex';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_instances.js';
import * as m0003 from './0003_instance_list_indexes.js';
import * as m0004 from './0004_task_step.js';
import * as m0005 from './0005_master_key_check.js';
import * as m0006 from './0006_network_inventory.js';
import * as m0008 from './0008_task_deadline.js';
import * as m0009 from './0009_audit_log.js';
import * as m0007 from './0007_consoles.js';
import * as m0011 from './0011_storage.js';
import * as m0012 from './0012_image_lifecycle.js';
import * as m0013 from './0013_list_reads.js';
import * as m0014 from './0014_usage_ledger.js';
import * as m0015 from './0015_interface_attachments.js';
import * as m0016 from './0016_host_chassis.js';
import * as m0017 from './0017_nat_era_adoption.js';
import * as m0018 from './0018_image_tasks.js';
import * as m0019 from './0019_image_exports.js';
import * as m0020 from './0020_image_data_disks.js';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, oldest first. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
  m0019,
  m0020,
];

/** A knex MigrationSource over {@link migrations}. */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};
