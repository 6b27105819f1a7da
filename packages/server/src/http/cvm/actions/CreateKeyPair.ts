// CreateKeyPair: createKeypair; the private key is in this answer and nowhere else.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { keyIdOf } from '../ids.js';
import { cvmTime } from '../views.js';

export default defineAction({
  action: 'CreateKeyPair',
  operation: 'createKeypair',
  params: z.strictObject({ KeyName: z.string().max(64), ProjectId: z.number().int().optional() }),
  handle: async (ctx) => {
    const k = await ctx.services.keypairs.create(
      { accountId: ctx.account.id, regionId: ctx.regionId },
      ctx.params.KeyName,
    );
    const stored = await ctx.services.keypairs.describe(
      { accountId: ctx.account.id, regionId: ctx.regionId },
      { names: [k.keyName], offset: 0, limit: 1 },
    );
    const row = stored.items[0];
    return {
      KeyPair: {
        KeyId: keyIdOf(k.keyName),
        KeyName: k.keyName,
        ProjectId: 0,
        Description: '',
        PublicKey: row?.publicKey ?? '',
        PrivateKey: k.privateKey,
        AssociatedInstanceIds: [],
        CreatedTime: cvmTime(row?.createdAt ?? new Date()),
        Tags: [],
      },
    };
  },
});
