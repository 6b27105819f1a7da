// modifyNetworkSecurityGroupRules: POST /v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}:modifyNetworkSecurityGroupRules — one change, one new generation for the plane.
import { modifyNetworkSecurityGroupRulesBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyNetworkSecurityGroupRules',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}:modifyNetworkSecurityGroupRules',
  body: modifyNetworkSecurityGroupRulesBody,
  errors: [
    'securityGroupNotFound',
    'ruleNotFound',
    'invalidParameter',
    'invalidAddressPrefix',
    'outOfRange',
    'quotaExceeded',
  ],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.securityGroups.changeRules(
      { accountId: account.id, regionId },
      params.networkSecurityGroupId!,
      {
        modify: body.modifySecurityGroupRuleSpecs,
      },
    );
    return undefined;
  },
});
