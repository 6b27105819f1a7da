// describeInstances: GET /v1/regions/{regionId}/instances — paged, filters of contract §2.3.
import { defineRoute } from '../../route.js';
import { parsePage } from '../../params.js';
import { scopeOf } from './caller.js';
import { INSTANCE_FILTERS, instanceFilter } from './filters.js';
import { instanceView } from '../../views/instance.js';
import { dataDiskView } from '../../views/disk.js';

export default defineRoute({
  operation: 'describeInstances',
  method: 'GET',
  path: '/v1/regions/{regionId}/instances',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async (ctx) => {
    const page = parsePage(ctx.query);
    const f = instanceFilter(ctx.query, INSTANCE_FILTERS.describeInstances);
    const scope = scopeOf(ctx);
    const r = await ctx.services.instances.page(scope, f, page.offset, page.pageSize);
    const ids = r.items.map((i) => i.id);
    // Independent lookups of the page's instances: one round trip's wait, not two.
    const [net, disks] = await Promise.all([
      ctx.services.networkInterfaces.ofInstances(scope, ids),
      ctx.services.diskAttachments.dataDisksOf(ids),
    ]);
    return {
      instances: r.items.map((i) =>
        instanceView(i, {
          net: net.get(i.id),
          dataDisks: (disks.get(i.id) ?? []).map(dataDiskView),
          chargeStatus: ctx.services.chargePolicy.status(i.charge),
        }),
      ),
      totalCount: r.total,
    };
  },
});
