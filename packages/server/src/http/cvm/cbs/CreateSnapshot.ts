// CreateSnapshot: createSnapshot of a disk (crash-consistent), answering its SnapshotId.
import { randomUUID } from 'node:crypto';
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS } from '../ids.js';

export default defineAction({
  action: 'CreateSnapshot',
  service: 'cbs',
  operation: 'createSnapshot',
  params: z.strictObject({
    DiskId: z.string().max(128).optional(),
    SnapshotName: z.string().max(256).optional(),
    Deadline: z.string().max(32).optional(),
    Tags: z
      .array(z.strictObject({ Key: z.string().max(128), Value: z.string().max(256).optional() }))
      .max(50)
      .optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.DiskId === undefined) throw TencentErrors.missingParameter('DiskId');
    if (p.Deadline !== undefined) throw TencentErrors.unsupportedOperation('Deadline');
    const r = await ctx.services.disks.createSnapshot(scopeOf(ctx), {
      diskId: CBS_IDS.disk.in('DiskId', p.DiskId),
      name: p.SnapshotName ?? 'snapshot',
      description: '',
      clientToken: randomUUID(),
    });
    return { SnapshotId: CBS_IDS.snapshot.out(r.snapshotId) };
  },
});
