// Migration 0014: the usage ledger and instances' billing modes. One row per metered resource per state interval, opened and
// closed by triggers on the metered tables, so the ledger changes in the very transaction (the very
// statement) that changes the state it meters: no code path can forget it, and a crash keeps both
// or neither. Closed rows are immutable and no row is ever deleted. Instances gain JD's charge
// model: a mode and, for prepaid ones, an expiry and retirement time and the phase their timer is
// in (the durable timer the charge sweep advances).
import type { Knex } from 'knex';

export const name = '0014_usage_ledger';

// The ledger's clock: the transaction's start (one clock for every kumod, whatever theirs say), to
// the second; a session may name another time in `kumo.clock` (kumod's injected test clock).
const CLOCK = `
CREATE FUNCTION kumo_usage_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT date_trunc('second', COALESCE(NULLIF(current_setting('kumo.clock', true), '')::timestamptz, now()))
$$`;

// Brings a resource's open record in line with what it is now: nothing to do when the item and
// quantity are the same; otherwise the open record closes and (unless the resource is no longer
// metered, item NULL) a new one opens, both at the ledger's clock.
const SYNC = `
CREATE FUNCTION kumo_usage_sync(p_type text, p_id text, p_account text, p_region text, p_item text, p_qty numeric)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz := kumo_usage_now();
  open_rec usage_records%ROWTYPE;
BEGIN
  SELECT * INTO open_rec FROM usage_records
   WHERE resource_type = p_type AND resource_id = p_id AND ended_at IS NULL FOR UPDATE;
  IF FOUND AND open_rec.item = p_item AND open_rec.quantity = p_qty THEN
    RETURN;
  END IF;
  IF FOUND THEN
    UPDATE usage_records SET ended_at = GREATEST(open_rec.started_at, t) WHERE id = open_rec.id;
  END IF;
  IF p_item IS NOT NULL THEN
    INSERT INTO usage_records (account_id, region_id, resource_type, resource_id, item, quantity, started_at)
    VALUES (p_account, p_region, p_type, p_id, p_item, p_qty, t);
  END IF;
END $$`;

// What each table meters, from a row as it is after the change (NULL item: not metered). An
// instance bills by type at the running rate while its guest runs or is being stopped or rebooted,
// at the stopped rate while stopped (or being started, resized, rebuilt, deleted); nothing while
// pending or in error. Disks and snapshots bill their GB once made, until deleting or failed;
// elastic IPs their bandwidth while they exist; private images their GB while ready.
const METERS: { table: string; type: string; item: string; qty: string; account: string; columns: string }[] =
  [
    {
      table: 'instances',
      type: 'instance',
      item: `CASE WHEN r.status IN ('running','stopping','rebooting') THEN 'instance:' || r.instance_type || ':running'
                  WHEN r.status IN ('stopped','starting','resizing','rebuilding','deleting') THEN 'instance:' || r.instance_type || ':stopped' END`,
      qty: '1',
      account: 'r.account_id',
      columns: 'status, instance_type',
    },
    {
      table: 'disks',
      type: 'disk',
      item: `CASE WHEN r.status NOT IN ('creating','deleting') AND r.status NOT LIKE 'error%' THEN 'disk:' || r.disk_type END`,
      qty: 'r.size_gb',
      account: 'r.account_id',
      columns: 'status, size_gb, disk_type',
    },
    {
      table: 'snapshots',
      type: 'snapshot',
      item: `CASE WHEN r.status NOT IN ('creating','deleting') AND r.status NOT LIKE 'error%' THEN 'snapshot' END`,
      qty: 'r.size_gb',
      account: 'r.account_id',
      columns: 'status, size_gb',
    },
    {
      table: 'elastic_ips',
      type: 'eip',
      item: `CASE WHEN NOT r.deleting THEN 'eip:bandwidth' END`,
      qty: 'r.bandwidth_mbps',
      account: 'r.account_id',
      columns: 'deleting, bandwidth_mbps',
    },
    {
      table: 'images',
      type: 'image',
      item: `CASE WHEN r.owner_account_id IS NOT NULL AND r.status = 'ready' THEN 'image' END`,
      // GiB to the MiB, so a 300 MiB image is 0.293 GB.
      qty: 'round(r.size_bytes / 1073741824.0, 3)',
      account: 'r.owner_account_id',
      columns: 'status, size_bytes, owner_account_id',
    },
  ];

function meterFunction(m: (typeof METERS)[number]): string {
  return `
CREATE FUNCTION kumo_usage_${m.table}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r ${m.table}%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM kumo_usage_sync('${m.type}', OLD.id, NULL, NULL, NULL, 0);
    RETURN NULL;
  END IF;
  r := NEW;
  IF ${m.account} IS NULL THEN RETURN NULL; END IF;
  PERFORM kumo_usage_sync('${m.type}', r.id, ${m.account}, r.region_id, ${m.item}, ${m.qty});
  RETURN NULL;
END $$`;
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.text('charge_mode').notNullable().defaultTo('postpaid_by_duration');
    t.timestamp('charge_start_at', { useTz: true });
    t.timestamp('charge_expires_at', { useTz: true });
    t.timestamp('charge_retire_at', { useTz: true });
    t.text('charge_phase').notNullable().defaultTo('active');
  });
  await knex.raw(`ALTER TABLE instances ADD CONSTRAINT instances_charge_known CHECK (
    charge_mode IN ('postpaid_by_duration','postpaid_by_usage','prepaid_by_duration')
    AND charge_phase IN ('active','expired','retired')
    AND (charge_mode <> 'prepaid_by_duration' OR (charge_expires_at IS NOT NULL AND charge_retire_at IS NOT NULL)))`);
  await knex.raw(`CREATE INDEX instances_charge_due ON instances (charge_expires_at)
    WHERE charge_mode = 'prepaid_by_duration'`);
  await knex.schema.createTable('usage_records', (t) => {
    t.bigIncrements('id');
    // No foreign keys: the ledger outlives the resources (and accounts) it meters.
    t.text('account_id').notNullable();
    t.text('region_id').notNullable();
    t.text('resource_type').notNullable();
    t.text('resource_id').notNullable();
    t.text('item').notNullable();
    t.decimal('quantity', 14, 3).notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.index(['account_id', 'started_at']);
  });
  await knex.raw(`CREATE UNIQUE INDEX usage_records_one_open ON usage_records (resource_type, resource_id)
    WHERE ended_at IS NULL`);
  await knex.raw(`CREATE INDEX usage_records_resource ON usage_records (resource_id)`);
  await knex.raw(`ALTER TABLE usage_records ADD CONSTRAINT usage_records_ordered
    CHECK (ended_at IS NULL OR ended_at >= started_at)`);
  // Append-only: the one change a row may see is its end being written once.
  await knex.raw(`
CREATE FUNCTION kumo_usage_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'usage_records is append-only'; END IF;
  IF OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL
     OR (NEW.account_id, NEW.region_id, NEW.resource_type, NEW.resource_id, NEW.item, NEW.quantity, NEW.started_at)
        IS DISTINCT FROM
        (OLD.account_id, OLD.region_id, OLD.resource_type, OLD.resource_id, OLD.item, OLD.quantity, OLD.started_at)
  THEN RAISE EXCEPTION 'usage_records is append-only: only an open record''s end may be written';
  END IF;
  RETURN NEW;
END $$`);
  await knex.raw(`CREATE TRIGGER usage_records_append_only BEFORE UPDATE OR DELETE ON usage_records
    FOR EACH ROW EXECUTE FUNCTION kumo_usage_append_only()`);
  await knex.raw(CLOCK);
  await knex.raw(SYNC);
  for (const m of METERS) {
    await knex.raw(meterFunction(m));
    await knex.raw(`CREATE TRIGGER ${m.table}_usage_change AFTER INSERT OR DELETE ON ${m.table}
      FOR EACH ROW EXECUTE FUNCTION kumo_usage_${m.table}()`);
    // Only updates that touch a metered column (heartbeats and steps do not) run the sync.
    await knex.raw(`CREATE TRIGGER ${m.table}_usage_update AFTER UPDATE OF ${m.columns} ON ${m.table}
      FOR EACH ROW EXECUTE FUNCTION kumo_usage_${m.table}()`);
  }
  // Resources that exist when the ledger starts are metered from now on.
  for (const m of METERS) {
    const first = m.columns.split(',')[0]!;
    await knex.raw(`UPDATE ${m.table} SET ${first} = ${first}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const m of METERS) {
    await knex.raw(`DROP TRIGGER ${m.table}_usage_change ON ${m.table}`);
    await knex.raw(`DROP TRIGGER ${m.table}_usage_update ON ${m.table}`);
    await knex.raw(`DROP FUNCTION kumo_usage_${m.table}()`);
  }
  await knex.schema.dropTable('usage_records');
  await knex.raw('DROP FUNCTION kumo_usage_sync(text, text, text, text, text, numeric)');
  await knex.raw('DROP FUNCTION kumo_usage_now()');
  await knex.raw('DROP FUNCTION kumo_usage_append_only()');
  await knex.raw('DROP INDEX instances_charge_due');
  await knex.raw('ALTER TABLE instances DROP CONSTRAINT instances_charge_known');
  await knex.schema.alterTable('instances', (t) => {
    for (const c of [
      'charge_mode',
      'charge_start_at',
      'charge_expires_at',
      'charge_retire_at',
      'charge_phase',
    ])
      t.dropColumn(c);
  });
}
