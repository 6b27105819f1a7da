// ResetInstance: rebuildInstance (a new root disk from the image, default the current one).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { batchOf, callerOf, scopeOf } from '../batch.js';
import { keyNameOf } from '../ids.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'ResetInstance',
  operation: 'rebuildInstance',
  params: z.strictObject({
    InstanceId: z.string().max(64),
    ImageId: z.string().max(64).optional(),
    SystemDisk: z
      .strictObject({ DiskType: z.string().max(32).optional(), DiskSize: z.number().int().optional() })
      .optional(),
    LoginSettings: z
      .strictObject({
        Password: z.string().max(64).optional(),
        KeyIds: idList.optional(),
        KeepImageLogin: z.string().max(8).optional(),
      })
      .optional(),
    HostName: z.string().max(64).optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const [inst] = await batchOf(ctx, [p.InstanceId], 'rebuild');
    const keyNames = p.LoginSettings?.KeyIds?.map(keyNameOf);
    await ctx.services.instances.rebuild(scopeOf(ctx), callerOf(ctx), inst!.id, {
      // Kumo's rebuild always sets a password; a key-only reset gets an unguessable one.
      password: p.LoginSettings?.Password ?? `Kc1-${randomBytes(12).toString('base64url')}`,
      ...(p.ImageId !== undefined ? { imageId: p.ImageId } : {}),
      ...(keyNames ? { keyNames } : {}),
    });
    return {};
  },
});
