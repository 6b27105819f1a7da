// describeVpcs: GET /v1/regions/{regionId}/vpcs — paged; filters vpcIds, vpcNames (azs, azType accepted: VPCs span every AZ).
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { vpcView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeVpcs',
  method: 'GET',
  path: '/v1/regions/{regionId}/vpcs',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const f = parseFilters(query, { vpcIds: {}, vpcNames: {}, azs: {}, azType: { single: true } });
    const r = await services.vpcs.describeVpcs(
      { accountId: account.id, regionId },
      { ids: f.get('vpcIds'), names: f.get('vpcNames') },
      page.offset,
      page.pageSize,
    );
    return { vpcs: r.items.map(vpcView), totalCount: r.total };
  },
});
