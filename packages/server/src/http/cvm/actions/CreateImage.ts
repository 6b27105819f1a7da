// CreateImage: createImage — a private image of a stopped instance's root disk (a durable task; the
// image shows CREATING in DescribeImages until it is NORMAL). Whole-machine images (DataDiskIds,
// SnapshotIds) are served through JD's createImage only.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { callerOf, scopeOf } from '../batch.js';
import { instanceIdOf } from '../ids.js';

export default defineAction({
  action: 'CreateImage',
  operation: 'createImage',
  params: z.strictObject({
    ImageName: z.string().max(60),
    InstanceId: z.string().max(64),
    ImageDescription: z.string().max(256).optional(),
    ForcePoweroff: z.string().max(8).optional(),
    Sysprep: z.string().max(8).optional(),
    DataDiskIds: z.array(z.string().max(64)).max(8).optional(),
    SnapshotIds: z.array(z.string().max(64)).max(8).optional(),
    DryRun: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.DataDiskIds?.length || p.SnapshotIds?.length)
      throw TencentErrors.unsupportedOperation('Images of data disks (DataDiskIds, SnapshotIds)');
    if (p.DryRun) throw TencentErrors.dryRun();
    const imageId = await ctx.services.imageCreation.create(
      scopeOf(ctx),
      callerOf(ctx),
      instanceIdOf(p.InstanceId),
      { name: p.ImageName, description: p.ImageDescription ?? '' },
      // Tencent: without DataDiskIds, an image of the system disk alone.
      'leave',
    );
    return { ImageId: imageId };
  },
});
