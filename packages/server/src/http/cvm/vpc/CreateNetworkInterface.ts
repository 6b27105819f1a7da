// CreateNetworkInterface: createNetworkInterface in a subnet of the named VPC, with Tencent's
// addresses (the primary, secondaries by address or count) and security groups.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { idList } from '../params.js';
import { networkInterfaceView } from './address-views.js';

export default defineAction({
  action: 'CreateNetworkInterface',
  service: 'vpc',
  operation: 'createNetworkInterface',
  params: z.strictObject({
    VpcId: z.string().max(128),
    NetworkInterfaceName: z.string().max(256),
    SubnetId: z.string().max(128),
    NetworkInterfaceDescription: z.string().max(1024).optional(),
    SecondaryPrivateIpAddressCount: z.number().int().min(0).optional(),
    SecurityGroupIds: idList.optional(),
    PrivateIpAddresses: z
      .array(
        z.strictObject({
          PrivateIpAddress: z.string().max(64),
          Primary: z.boolean().optional(),
          Description: z.string().max(256).optional(),
        }),
      )
      .max(100)
      .optional(),
    Tags: z
      .array(z.strictObject({ Key: z.string().max(128), Value: z.string().max(256).optional() }))
      .max(50)
      .optional(),
    ClientToken: z.string().max(64).optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const vpcId = VPC_IDS.vpc.in('VpcId', p.VpcId);
    const subnetId = VPC_IDS.subnet.in('SubnetId', p.SubnetId);
    const subnet = await ctx.services.vpcs.getSubnet(scopeOf(ctx), subnetId);
    if (subnet.vpcId !== vpcId)
      throw TencentErrors.invalidParameterValue('SubnetId', `the subnet is not in ${p.VpcId.slice(0, 64)}`);
    const addresses = p.PrivateIpAddresses ?? [];
    const primary = addresses.filter((a) => a.Primary);
    if (primary.length > 1)
      throw TencentErrors.invalidParameterValue('PrivateIpAddresses', 'one Primary at most');
    const { networkInterfaceId } = await ctx.services.networkInterfaces.create(scopeOf(ctx), {
      subnetId,
      name: p.NetworkInterfaceName,
      ...(p.NetworkInterfaceDescription !== undefined ? { description: p.NetworkInterfaceDescription } : {}),
      ...(primary[0] ? { primaryIpAddress: primary[0].PrivateIpAddress } : {}),
      secondaryIpAddresses: addresses.filter((a) => !a.Primary).map((a) => a.PrivateIpAddress),
      ...(p.SecondaryPrivateIpAddressCount ? { secondaryIpCount: p.SecondaryPrivateIpAddressCount } : {}),
      ...(p.SecurityGroupIds?.length
        ? { securityGroups: p.SecurityGroupIds.map((id) => VPC_IDS.securityGroup.in('SecurityGroupIds', id)) }
        : {}),
    });
    const nic = await ctx.services.networkInterfaces.get(scopeOf(ctx), networkInterfaceId);
    return { NetworkInterface: networkInterfaceView(nic, []) };
  },
});
