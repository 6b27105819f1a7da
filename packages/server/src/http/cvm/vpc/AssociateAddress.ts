// AssociateAddress: an EIP to an instance (associateElasticIp of the vm service, on its primary
// interface) or to a network interface's address (the vpc service's).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { primaryInterfaceOf } from './interfaces.js';

export default defineAction({
  action: 'AssociateAddress',
  service: 'vpc',
  operation: 'associateElasticIp',
  params: z.strictObject({
    AddressId: z.string().max(128),
    InstanceId: z.string().max(128).optional(),
    NetworkInterfaceId: z.string().max(128).optional(),
    PrivateIpAddress: z.string().max(64).optional(),
    EipDirectConnection: z.boolean().optional(),
    InstanceRegion: z.string().max(64).optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const elasticIpId = VPC_IDS.address.in('AddressId', p.AddressId);
    if ((p.InstanceId === undefined) === (p.NetworkInterfaceId === undefined))
      throw TencentErrors.invalidParameterCombination(
        'give exactly one of InstanceId and NetworkInterfaceId',
      );
    if (p.InstanceId !== undefined) {
      if (p.PrivateIpAddress !== undefined)
        throw TencentErrors.invalidParameterCombination('PrivateIpAddress goes with NetworkInterfaceId');
      const { instanceId, primary } = await primaryInterfaceOf(ctx, p.InstanceId);
      await ctx.services.elasticIps.associateWithInstance(scopeOf(ctx), instanceId, primary, elasticIpId);
      return {};
    }
    const nic = VPC_IDS.networkInterface.in('NetworkInterfaceId', p.NetworkInterfaceId!);
    await ctx.services.elasticIps.associate(scopeOf(ctx), nic, {
      elasticIpId,
      ...(p.PrivateIpAddress !== undefined ? { privateIpAddress: p.PrivateIpAddress } : {}),
    });
    return {};
  },
});
