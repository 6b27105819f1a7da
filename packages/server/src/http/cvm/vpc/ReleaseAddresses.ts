// ReleaseAddresses: deleteElasticIp for each id; every one found and free before any is released.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'ReleaseAddresses',
  service: 'vpc',
  operation: 'deleteElasticIp',
  params: z.strictObject({ AddressIds: idList }),
  handle: async (ctx) => {
    const tencentIds = [...new Set(ctx.params.AddressIds)];
    if (tencentIds.length === 0) throw TencentErrors.missingParameter('AddressIds');
    const ids = tencentIds.map((id) => VPC_IDS.address.in('AddressIds', id));
    for (const id of ids) {
      const eip = await ctx.services.elasticIps.get(scopeOf(ctx), id);
      if (eip.interfaceId) throw TencentErrors.addressBound(VPC_IDS.address.out(id));
    }
    for (const id of ids) await ctx.services.elasticIps.delete(scopeOf(ctx), id);
    return {};
  },
});
