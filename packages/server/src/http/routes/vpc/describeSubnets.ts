// describeSubnets: GET /v1/regions/{regionId}/subnets — paged; filters subnetIds, subnetNames, vpcId, azs, routeTableId, aclId, subnetType, azType.
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { subnetView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeSubnets',
  method: 'GET',
  path: '/v1/regions/{regionId}/subnets',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const single = { single: true };
    const f = parseFilters(query, {
      subnetIds: {},
      subnetNames: {},
      vpcId: single,
      azs: {},
      routeTableId: single,
      aclId: single,
      subnetType: single,
      azType: single,
    });
    // Kumo has no route tables, ACLs or edge subnets: asking for them matches nothing.
    const none = f.has('routeTableId') || f.has('aclId') || f.get('subnetType')?.[0] === 'edge';
    const r = await services.vpcs.describeSubnets(
      { accountId: account.id, regionId },
      {
        ids: none ? [] : f.get('subnetIds'),
        names: f.get('subnetNames'),
        vpcIds: f.get('vpcId'),
        azs: f.get('azs'),
      },
      page.offset,
      page.pageSize,
    );
    return { subnets: r.items.map(subnetView), totalCount: r.total };
  },
});
