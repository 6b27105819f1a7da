// describeNetworkInterfaces: GET /v1/regions/{regionId}/networkInterfaces — paged; filters networkInterfaceIds, networkInterfaceNames, vpcId, subnetId, role, azs, azType.
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { networkInterfaceView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeNetworkInterfaces',
  method: 'GET',
  path: '/v1/regions/{regionId}/networkInterfaces',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const single = { single: true };
    const f = parseFilters(query, {
      networkInterfaceIds: {},
      networkInterfaceNames: {},
      vpcId: single,
      subnetId: single,
      role: single,
      azs: {},
      azType: single,
      instanceId: single,
    });
    const r = await services.networkInterfaces.describe(
      { accountId: account.id, regionId },
      {
        ids: f.get('networkInterfaceIds'),
        names: f.get('networkInterfaceNames'),
        vpcIds: f.get('vpcId'),
        subnetIds: f.get('subnetId'),
        roles: f.get('role'),
        azs: f.get('azs'),
        instanceIds: f.get('instanceId'),
      },
      page.offset,
      page.pageSize,
    );
    return { networkInterfaces: r.items.map(networkInterfaceView), totalCount: r.total };
  },
});
