// ImportKeyPair: importKeypair of the user's OpenSSH public key.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { keyIdOf } from '../ids.js';

export default defineAction({
  action: 'ImportKeyPair',
  operation: 'importKeypair',
  params: z.strictObject({
    KeyName: z.string().max(64),
    ProjectId: z.number().int(),
    PublicKey: z.string().max(16384),
  }),
  handle: async (ctx) => {
    const k = await ctx.services.keypairs.import(
      { accountId: ctx.account.id, regionId: ctx.regionId },
      ctx.params.KeyName,
      ctx.params.PublicKey,
    );
    return { KeyId: keyIdOf(k.keyName) };
  },
});
