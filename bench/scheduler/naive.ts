// One naive placement, the baseline: read snapshots, place(), then write the chosen host's new usage
// computed from the snapshot (read-then-update) with no CHECK constraint on the table. Lost updates
// and oversubscription are possible by design; the bench measures how many happen.
import type { Knex } from 'knex';
import { place, type PlacementRequest } from '@kumo/scheduler';
import type { Outcome } from './drive.js';
import { instanceRow } from './instance.js';
import { readSnapshots } from './snapshots.js';

/** Places request `n` trusting the snapshot; resolves to 'placed' or 'no-room'. */
export async function placeNaive(db: Knex, n: number, req: PlacementRequest): Promise<Outcome> {
  return db.transaction(async (trx): Promise<Outcome> => {
    const snapshots = await readSnapshots(trx, req.az);
    const p = place(req, snapshots);
    if (p.hostId === undefined) return 'no-room';
    const h = snapshots.find((s) => s.id === p.hostId);
    if (!h) throw new Error(`place() chose ${p.hostId}, which is not among the snapshots`);
    const inst = instanceRow(n, req.az, req);
    await trx('instances').insert(inst);
    await trx('hosts')
      .where({ id: h.id })
      .update({
        used_vcpus: h.vcpus.used + req.vcpus,
        used_memory_mb: h.memoryMB.used + req.memoryMB,
        used_disk_gb: h.diskGB.used + req.diskGB,
      });
    await trx('claims').insert({
      instance_id: inst.id,
      host_id: h.id,
      vcpus: req.vcpus,
      memory_mb: req.memoryMB,
      disk_gb: req.diskGB,
    });
    return 'placed';
  });
}
