// describeNetworkSecurityGroups: GET /v1/regions/{regionId}/networkSecurityGroups — paged; filters networkSecurityGroupIds, networkSecurityGroupNames, vpcId.
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { securityGroupView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeNetworkSecurityGroups',
  method: 'GET',
  path: '/v1/regions/{regionId}/networkSecurityGroups',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const f = parseFilters(query, {
      networkSecurityGroupIds: {},
      networkSecurityGroupNames: {},
      vpcId: { single: true },
    });
    const r = await services.securityGroups.describe(
      { accountId: account.id, regionId },
      {
        ids: f.get('networkSecurityGroupIds'),
        names: f.get('networkSecurityGroupNames'),
        vpcIds: f.get('vpcId'),
      },
      page.offset,
      page.pageSize,
    );
    return { networkSecurityGroups: r.items.map(securityGroupView), totalCount: r.total };
  },
});
