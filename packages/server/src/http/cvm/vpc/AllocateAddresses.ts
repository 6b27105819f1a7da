// AllocateAddresses: createElasticIps, AddressCount addresses (all or none) of the carrier
// InternetServiceProvider names (Kumo's pool provider, BGP by default).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';

export default defineAction({
  action: 'AllocateAddresses',
  service: 'vpc',
  operation: 'createElasticIps',
  params: z.strictObject({
    AddressCount: z.number().int().optional(),
    InternetServiceProvider: z.string().max(32).optional(),
    InternetChargeType: z.string().max(64).optional(),
    InternetMaxBandwidthOut: z.number().int().optional(),
    AddressType: z.string().max(32).optional(),
    AddressName: z.string().max(128).optional(),
    Tags: z
      .array(z.strictObject({ Key: z.string().max(128), Value: z.string().max(256).optional() }))
      .max(50)
      .optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.AddressType !== undefined && p.AddressType !== 'EIP')
      throw TencentErrors.unsupportedOperation(`AddressType ${p.AddressType.slice(0, 32)}`);
    const r = await ctx.services.elasticIps.create(scopeOf(ctx), {
      maxCount: p.AddressCount ?? 1,
      bandwidthMbps: p.InternetMaxBandwidthOut ?? 1,
      provider: (p.InternetServiceProvider ?? 'BGP').toLowerCase(),
    });
    return { AddressSet: r.elasticIpIds.map(VPC_IDS.address.out) };
  },
});
