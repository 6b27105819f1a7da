// DeleteSnapshots: deleteSnapshot for each id; every one found before any is deleted.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS } from '../ids.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'DeleteSnapshots',
  service: 'cbs',
  operation: 'deleteSnapshot',
  params: z.strictObject({ SnapshotIds: idList, DeleteBindImages: z.boolean().optional() }),
  handle: async (ctx) => {
    const unique = [...new Set(ctx.params.SnapshotIds)];
    if (unique.length === 0) throw TencentErrors.missingParameter('SnapshotIds');
    const ids = unique.map((id) => CBS_IDS.snapshot.in('SnapshotIds', id));
    for (const [i, id] of ids.entries()) {
      const s = await ctx.services.disks.describeSnapshot(scopeOf(ctx), id).catch(() => undefined);
      if (!s) throw TencentErrors.snapshotNotFound(unique[i]!.slice(0, 64));
    }
    for (const id of ids) await ctx.services.disks.deleteSnapshot(scopeOf(ctx), id);
    return {};
  },
});
