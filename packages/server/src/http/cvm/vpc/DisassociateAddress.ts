// DisassociateAddress: unbinds an EIP from whatever interface holds it (Tencent names only the EIP).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';

export default defineAction({
  action: 'DisassociateAddress',
  service: 'vpc',
  operation: 'disassociateElasticIp',
  params: z.strictObject({
    AddressId: z.string().max(128),
    ReallocateNormalPublicIp: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    const id = VPC_IDS.address.in('AddressId', ctx.params.AddressId);
    if (ctx.params.ReallocateNormalPublicIp)
      throw TencentErrors.unsupportedOperation('ReallocateNormalPublicIp');
    const eip = await ctx.services.elasticIps.get(scopeOf(ctx), id);
    if (!eip.interfaceId) throw TencentErrors.addressNotBound(ctx.params.AddressId);
    // The service checks again under the account's lock: a racing disassociate is refused there.
    await ctx.services.elasticIps.disassociate(scopeOf(ctx), eip.interfaceId, { elasticIpId: id });
    return {};
  },
});
