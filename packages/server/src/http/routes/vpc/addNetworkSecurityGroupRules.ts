// addNetworkSecurityGroupRules: POST /v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}:addNetworkSecurityGroupRules — one change, one new generation for the plane.
import { addNetworkSecurityGroupRulesBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'addNetworkSecurityGroupRules',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}:addNetworkSecurityGroupRules',
  body: addNetworkSecurityGroupRulesBody,
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
        add: body.networkSecurityGroupRuleSpecs,
      },
    );
    return undefined;
  },
});
