// DescribeAddresses: describeElasticIps by AddressIds or Filters (address-id, address-ip,
// address-status UNBIND/BIND/BIND_ENI), Offset/Limit paging.
import type { EipFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { countPaging, filtersOf, filtersParam, idList, pageOf } from '../params.js';
import { addressView } from './address-views.js';
import { idsOrFilters, pageOfList, WHOLE_LIST } from './list.js';

const FILTERS = ['address-id', 'address-ip', 'address-status'] as const;

export default defineAction({
  action: 'DescribeAddresses',
  service: 'vpc',
  operation: 'describeElasticIps',
  params: z.strictObject({ AddressIds: idList.optional(), Filters: filtersParam, ...countPaging }),
  handle: async (ctx) => {
    const p = ctx.params;
    idsOrFilters(p.AddressIds, p.Filters, 'AddressIds');
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const ids = p.AddressIds?.length ? p.AddressIds : f.get('address-id');
    const filter: EipFilter = {};
    if (ids) filter.ids = ids.map((id) => VPC_IDS.address.in('AddressIds', id));
    if (f.has('address-ip')) filter.ips = f.get('address-ip')!;
    const statuses = f.get('address-status');
    if (!statuses) {
      const r = await ctx.services.elasticIps.describe(scopeOf(ctx), filter, page.offset, page.limit);
      return { TotalCount: r.total, AddressSet: r.items.map(addressView) };
    }
    const all = await ctx.services.elasticIps.describe(scopeOf(ctx), filter, 0, WHOLE_LIST);
    const views = all.items.map(addressView).filter((a) => statuses.includes(a.AddressStatus));
    const r = pageOfList(views, page);
    return { TotalCount: r.total, AddressSet: r.items };
  },
});
