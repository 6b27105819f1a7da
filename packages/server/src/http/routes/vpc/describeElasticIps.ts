// describeElasticIps: GET /v1/regions/{regionId}/elasticIps — paged; filters elasticIpIds, elasticIpAddress, status (ASSOCIATED, NOT_ASSOCIATED, ALL).
import { Errors } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { elasticIpView } from '../../views/vpc.js';

export default defineRoute({
  operation: 'describeElasticIps',
  method: 'GET',
  path: '/v1/regions/{regionId}/elasticIps',
  errors: [
    'unknownFilter',
    'unsupportedFilterOperator',
    'pageSizeOutOfRange',
    'pageNumberOutOfRange',
    'invalidParameter',
  ],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const f = parseFilters(query, {
      elasticIpIds: {},
      elasticIpAddress: {},
      status: { single: true },
      chargeStatus: { single: true },
      ipType: { single: true },
    });
    const status = f.get('status')?.[0];
    if (status !== undefined && !['ASSOCIATED', 'NOT_ASSOCIATED', 'ALL'].includes(status))
      throw Errors.invalidParameter('status', 'must be ASSOCIATED, NOT_ASSOCIATED or ALL');
    const r = await services.elasticIps.describe(
      { accountId: account.id, regionId },
      {
        ids: f.get('elasticIpIds'),
        ips: f.get('elasticIpAddress'),
        ...(status === 'ASSOCIATED'
          ? { associated: true }
          : status === 'NOT_ASSOCIATED'
            ? { associated: false }
            : {}),
      },
      page.offset,
      page.pageSize,
    );
    return { elasticIps: r.items.map(elasticIpView), totalCount: r.total };
  },
});
