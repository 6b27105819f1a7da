// describeInstanceStatus: GET /v1/regions/{regionId}/instanceStatus — paged ids and statuses.
import { defineRoute } from '../../route.js';
import { parsePage } from '../../params.js';
import { scopeOf } from './caller.js';
import { INSTANCE_FILTERS, instanceFilter } from './filters.js';
import { statusView } from '../../views/instance.js';

export default defineRoute({
  operation: 'describeInstanceStatus',
  method: 'GET',
  path: '/v1/regions/{regionId}/instanceStatus',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async (ctx) => {
    const page = parsePage(ctx.query);
    const f = instanceFilter(ctx.query, INSTANCE_FILTERS.describeInstanceStatus);
    const r = await ctx.services.instances.page(scopeOf(ctx), f, page.offset, page.pageSize);
    return {
      instanceStatuses: r.items.map(statusView),
      totalCount: r.total,
    };
  },
});
