// DescribeKeyPairs: describeKeypairs with CVM's KeyIds, Filters (key-id, key-name) and paging.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { keyNameOf } from '../ids.js';
import { filtersOf, filtersParam, idList, pageOf, paging } from '../params.js';
import { keyPairView } from '../views.js';

export default defineAction({
  action: 'DescribeKeyPairs',
  operation: 'describeKeypairs',
  params: z.strictObject({ KeyIds: idList.optional(), Filters: filtersParam, ...paging }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.KeyIds && p.Filters) {
      throw TencentErrors.invalidParameterCombination('KeyIds and Filters cannot be given together');
    }
    const page = pageOf(p);
    const f = filtersOf(p.Filters, ['key-id', 'key-name', 'project-id']);
    const ids = p.KeyIds ?? f.get('key-id');
    let names = ids?.map(keyNameOf);
    const byName = f.get('key-name');
    if (byName) names = names ? names.filter((n) => byName.includes(n)) : byName;
    const r = await ctx.services.keypairs.describe(
      { accountId: ctx.account.id, regionId: ctx.regionId },
      { ...(names ? { names } : {}), offset: page.offset, limit: page.limit },
    );
    return { TotalCount: r.total, KeyPairSet: r.items.map((k) => keyPairView(k)) };
  },
});
