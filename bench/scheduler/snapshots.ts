// Reads one AZ's host snapshots (only the columns place() needs) and converts rows to HostSnapshot.
// Read-only: never writes.
import type { Knex } from 'knex';
import type { HostSnapshot } from '@kumo/scheduler';
import { REGION, type HostRow } from './seed.js';

const COLUMNS = [
  'id',
  'az',
  'enabled',
  'health',
  'arch',
  'nested_virt',
  'total_vcpus',
  'used_vcpus',
  'cpu_ratio',
  'total_memory_mb',
  'used_memory_mb',
  'memory_ratio',
  'total_disk_gb',
  'used_disk_gb',
  'disk_ratio',
];

/** The columns place() needs of one `hosts` row. */
export type SnapshotRow = Pick<
  HostRow,
  | 'id'
  | 'az'
  | 'enabled'
  | 'health'
  | 'arch'
  | 'nested_virt'
  | 'total_vcpus'
  | 'total_memory_mb'
  | 'total_disk_gb'
> & {
  cpu_ratio: string;
  memory_ratio: string;
  disk_ratio: string;
  used_vcpus: number;
  used_memory_mb: number;
  used_disk_gb: number;
};

/** HostSnapshot for one `hosts` row; `instances` is not needed by any filter or weigher, so 0. */
export const toSnapshot = (r: SnapshotRow): HostSnapshot => ({
  id: r.id,
  az: r.az,
  enabled: r.enabled,
  healthy: r.health === 'up',
  arch: r.arch,
  nestedVirt: r.nested_virt,
  vcpus: { total: r.total_vcpus, used: r.used_vcpus, ratio: Number(r.cpu_ratio) },
  memoryMB: { total: r.total_memory_mb, used: r.used_memory_mb, ratio: Number(r.memory_ratio) },
  diskGB: { total: r.total_disk_gb, used: r.used_disk_gb, ratio: Number(r.disk_ratio) },
  instances: 0,
});

/** Every host of the AZ, as snapshots, read through `q` (a knex instance or transaction). */
export async function readSnapshots(q: Knex | Knex.Transaction, az: string): Promise<HostSnapshot[]> {
  const rows: SnapshotRow[] = await q('hosts').select(COLUMNS).where({ region_id: REGION, az });
  return rows.map(toSnapshot);
}
