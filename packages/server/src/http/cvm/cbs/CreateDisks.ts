// CreateDisks: createDisks with Tencent's Placement.Zone, DiskType, DiskSize and DiskCount (blank,
// or from SnapshotId); pay-as-you-go only. Without a ClientToken one is made per call.
import { randomUUID } from 'node:crypto';
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS } from '../ids.js';
import { DISK_TYPE_OF } from './views.js';

export default defineAction({
  action: 'CreateDisks',
  service: 'cbs',
  operation: 'createDisks',
  params: z.strictObject({
    Placement: z.strictObject({ Zone: z.string().max(64), ProjectId: z.number().int().optional() }),
    DiskChargeType: z.string().max(32),
    DiskType: z.string().max(32),
    DiskName: z.string().max(256).optional(),
    SnapshotId: z.string().max(128).optional(),
    DiskCount: z.number().int().optional(),
    DiskSize: z.number().int().optional(),
    Shareable: z.boolean().optional(),
    ClientToken: z.string().max(64).optional(),
    Tags: z
      .array(z.strictObject({ Key: z.string().max(128), Value: z.string().max(256).optional() }))
      .max(50)
      .optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.DiskChargeType !== 'POSTPAID_BY_HOUR')
      throw TencentErrors.unsupportedOperation(`DiskChargeType ${p.DiskChargeType.slice(0, 32)}`);
    const diskType = DISK_TYPE_OF[p.DiskType];
    if (!diskType)
      throw TencentErrors.invalidParameterValue('DiskType', Object.keys(DISK_TYPE_OF).join(', '));
    const snapshotId =
      p.SnapshotId === undefined ? undefined : CBS_IDS.snapshot.in('SnapshotId', p.SnapshotId);
    let size = p.DiskSize;
    if (size === undefined && snapshotId)
      size = (await ctx.services.disks.describeSnapshot(scopeOf(ctx), snapshotId)).sizeGb;
    if (size === undefined) throw TencentErrors.missingParameter('DiskSize');
    const r = await ctx.services.disks.createDisks(scopeOf(ctx), {
      az: p.Placement.Zone,
      name: p.DiskName ?? 'disk',
      description: '',
      diskType,
      diskSizeGB: size,
      ...(snapshotId ? { snapshotId } : {}),
      multiAttachable: p.Shareable ?? false,
      maxCount: p.DiskCount ?? 1,
      clientToken: p.ClientToken ?? randomUUID(),
    });
    return { DiskIdSet: r.diskIds.map(CBS_IDS.disk.out) };
  },
});
