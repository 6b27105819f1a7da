// DescribeKeyPairs (API 2.0): `keyIds.N`, paging.
import { keyIdOf, keyNameOf } from '../../cvm/ids.js';
import type { V2Action } from '../action.js';
import { listOf, pageOf } from '../params.js';
import { v2Time } from '../views.js';

export default {
  action: 'DescribeKeyPairs',
  operation: 'describeKeypairs',
  handle: async (ctx) => {
    const page = pageOf(ctx.params);
    const names = listOf(ctx.params, 'keyIds').map(keyNameOf);
    const r = await ctx.services.keypairs.describe(
      { accountId: ctx.account.id, regionId: ctx.regionId },
      { ...(names.length > 0 ? { names } : {}), offset: page.offset, limit: page.limit },
    );
    return {
      totalCount: r.total,
      keySet: r.items.map((k) => ({
        keyId: keyIdOf(k.keyName),
        keyName: k.keyName,
        pubKey: k.publicKey,
        createTime: v2Time(k.createdAt),
        bindIps: [],
      })),
    };
  },
} satisfies V2Action;
