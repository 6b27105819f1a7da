// removeNetworkSecurityGroupRules: POST /v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}:removeNetworkSecurityGroupRules — one change, one new generation for the plane.
import { removeNetworkSecurityGroupRulesBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'removeNetworkSecurityGroupRules',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkSecurityGroups/{networkSecurityGroupId}:removeNetworkSecurityGroupRules',
  body: removeNetworkSecurityGroupRulesBody,
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
        remove: body.ruleIds,
      },
    );
    return undefined;
  },
});
