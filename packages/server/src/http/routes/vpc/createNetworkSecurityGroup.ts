// createNetworkSecurityGroup: POST /v1/regions/{regionId}/networkSecurityGroups — a group in a VPC, optionally with rules.
import { createNetworkSecurityGroupBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createNetworkSecurityGroup',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkSecurityGroups',
  body: createNetworkSecurityGroupBody,
  errors: ['invalidParameter', 'invalidAddressPrefix', 'outOfRange', 'vpcNotFound', 'quotaExceeded'],
  handle: ({ services, account, regionId, body }) =>
    services.securityGroups.create(
      { accountId: account.id, regionId },
      {
        vpcId: body.vpcId,
        name: body.networkSecurityGroupName,
        description: body.description,
        rules: body.networkSecurityGroupRuleSpecs,
      },
    ),
});
