// describeInstancePrivateIpAddress: GET /v1/regions/{regionId}/instancePrivateIpAddress.
import { defineRoute } from '../../route.js';
import { parsePage } from '../../params.js';
import { scopeOf } from './caller.js';
import { INSTANCE_FILTERS, instanceFilter } from './filters.js';
import { privateIpView } from '../../views/instance.js';

export default defineRoute({
  operation: 'describeInstancePrivateIpAddress',
  method: 'GET',
  path: '/v1/regions/{regionId}/instancePrivateIpAddress',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async (ctx) => {
    const page = parsePage(ctx.query);
    const f = instanceFilter(ctx.query, INSTANCE_FILTERS.describeInstancePrivateIpAddress);
    const r = await ctx.services.instances.page(scopeOf(ctx), f, page.offset, page.pageSize);
    return {
      instancePrivateIpAddress: r.items.map(privateIpView),
      totalCount: r.total,
    };
  },
});
