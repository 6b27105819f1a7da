// DeleteKeyPairs: deleteKeypair for each id, all found before any is deleted.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { keyNameOf } from '../ids.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'DeleteKeyPairs',
  operation: 'deleteKeypair',
  params: z.strictObject({ KeyIds: idList }),
  handle: async (ctx) => {
    const scope = { accountId: ctx.account.id, regionId: ctx.regionId };
    const ids = [...new Set(ctx.params.KeyIds)];
    if (ids.length === 0) throw TencentErrors.missingParameter('KeyIds');
    const names = ids.map(keyNameOf);
    const found = await ctx.services.keypairs.describe(scope, { names, offset: 0, limit: 100 });
    for (const [i, n] of names.entries()) {
      if (!found.items.some((k) => k.keyName === n))
        throw TencentErrors.keyPairNotFound(ids[i]!.slice(0, 64));
    }
    for (const n of names) await ctx.services.keypairs.delete(scope, n);
    return {};
  },
});
