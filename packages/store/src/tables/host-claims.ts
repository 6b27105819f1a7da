// Claiming capacity on one of several ranked hosts without queueing concurrent placements on one
// host row. The pick and the claim are one statement that re-reads only the candidate rows and
// takes a row lock on the host it claims, so the capacity CHECKs (migration 0002) still make
// oversubscription impossible: this file only chooses which host is tried, never whether it fits.
import type { Transaction } from '../locks.js';
import type { ClaimSize } from './hosts.js';

/**
 * Locks one candidate that has room for `size` now (its current row, not a snapshot), adds `size`
 * to it and records the claim, in one round trip; the best-ranked such host (the order of `ids`)
 * is taken. `skipLocked` passes over hosts another transaction is claiming instead of waiting.
 */
const PICK_AND_CLAIM = (skipLocked: boolean) => `
  WITH pick AS (
    SELECT id FROM hosts
     WHERE id = ANY(CAST(:ids AS text[])) AND enabled AND health = 'up'
       AND used_vcpus + :vcpus <= floor(total_vcpus * cpu_ratio)
       AND used_memory_mb + :memoryMB <= floor(total_memory_mb * memory_ratio)
       AND used_disk_gb + :diskGB <= floor(total_disk_gb * disk_ratio)
     ORDER BY array_position(CAST(:ids AS text[]), id)
     LIMIT 1 FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}
  ), claimed AS (
    UPDATE hosts h SET used_vcpus = h.used_vcpus + :vcpus, used_memory_mb = h.used_memory_mb + :memoryMB,
           used_disk_gb = h.used_disk_gb + :diskGB
      FROM pick WHERE h.id = pick.id RETURNING h.id
  )
  INSERT INTO claims (instance_id, host_id, vcpus, memory_mb, disk_gb)
  SELECT :instanceId, id, :vcpus, :memoryMB, :diskGB FROM claimed RETURNING host_id`;

/**
 * Claims `size` on one of `ranked` (best first) for the instance, inside the caller's transaction:
 * the best-ranked host that has room and that no concurrent placement is claiming right now, so
 * concurrent placements take the best hosts one each instead of queueing on the first; when every
 * host with room is being claimed, the best of them, waiting for its lock (a host that no longer
 * fits once the lock is had is passed over). Undefined only when none of `ranked` fits any more,
 * which the caller may check against a fresh snapshot. A refused pick leaves the transaction usable.
 */
export async function claimRanked(
  trx: Transaction,
  instanceId: string,
  ranked: readonly string[],
  size: ClaimSize,
): Promise<string | undefined> {
  if (ranked.length === 0) return undefined;
  for (const skipLocked of [true, false]) {
    const r = await trx.raw<{ rows: { host_id: string }[] }>(PICK_AND_CLAIM(skipLocked), {
      ids: [...ranked],
      instanceId,
      vcpus: size.vcpus,
      memoryMB: size.memoryMB,
      diskGB: size.diskGB,
    });
    if (r.rows[0]) return r.rows[0].host_id;
  }
  return undefined;
}
