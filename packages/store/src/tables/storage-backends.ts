// storage_backends: the admin's storage backend of each AZ (kind and driver settings). No policy.
import type { Database } from '../db.js';
import { translatePgErrors } from '../errors.js';

const TABLE = 'storage_backends';

/** One AZ's storage backend. */
export interface StorageBackendRecord {
  id: string;
  regionId: string;
  az: string;
  kind: 'local' | 'rbd';
  name: string;
  config: Record<string, unknown>;
  createdAt: Date;
}

interface Row {
  id: string;
  region_id: string;
  az: string;
  kind: 'local' | 'rbd';
  name: string;
  config: Record<string, unknown>;
  created_at: Date;
}

const toRecord = (r: Row): StorageBackendRecord => ({
  id: r.id,
  regionId: r.region_id,
  az: r.az,
  kind: r.kind,
  name: r.name,
  config: r.config,
  createdAt: r.created_at,
});

/** Queries over storage backends. */
export class StorageBackendsModel {
  constructor(private readonly db: Database) {}

  /** Inserts a backend; UniqueViolation when the AZ has one. */
  insert(b: Omit<StorageBackendRecord, 'createdAt'>): Promise<StorageBackendRecord> {
    return translatePgErrors(async () => {
      const [row] = await this.db<Row>(TABLE)
        .insert({ id: b.id, region_id: b.regionId, az: b.az, kind: b.kind, name: b.name, config: b.config })
        .returning('*');
      return toRecord(row!);
    });
  }

  async list(): Promise<StorageBackendRecord[]> {
    return (await this.db<Row>(TABLE).orderBy(['region_id', 'az'])).map(toRecord);
  }

  async get(id: string): Promise<StorageBackendRecord | undefined> {
    const r = await this.db<Row>(TABLE).where({ id }).first();
    return r && toRecord(r);
  }

  async forAz(regionId: string, az: string): Promise<StorageBackendRecord | undefined> {
    const r = await this.db<Row>(TABLE).where({ region_id: regionId, az }).first();
    return r && toRecord(r);
  }

  /** Removes a backend that no disk or snapshot uses; false when one does (or it is gone). */
  async removeUnused(id: string): Promise<boolean> {
    const n = await this.db(TABLE)
      .where({ id })
      .whereNotExists(this.db('disks').where('backend_id', id))
      .whereNotExists(this.db('snapshots').where('backend_id', id))
      .delete();
    return n > 0;
  }
}
