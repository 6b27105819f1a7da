// DescribeVpcs: describeVpcs by VpcIds or Filters (vpc-id, vpc-name, is-default, cidr-block).
import type { VpcFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { countPaging, filtersOf, filtersParam, idList, pageOf } from '../params.js';
import { booleanFilter, idsOrFilters, pageOfList, WHOLE_LIST } from './list.js';
import { vpcView } from './views.js';

const FILTERS = ['vpc-id', 'vpc-name', 'is-default', 'cidr-block'] as const;

export default defineAction({
  action: 'DescribeVpcs',
  service: 'vpc',
  operation: 'describeVpcs',
  params: z.strictObject({ VpcIds: idList.optional(), Filters: filtersParam, ...countPaging }),
  handle: async (ctx) => {
    const p = ctx.params;
    idsOrFilters(p.VpcIds, p.Filters, 'VpcIds');
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const ids = p.VpcIds?.length ? p.VpcIds : f.get('vpc-id');
    const filter: VpcFilter = {};
    if (ids) filter.ids = ids.map((id) => VPC_IDS.vpc.in('VpcIds', id));
    if (f.has('vpc-name')) filter.names = f.get('vpc-name')!;
    const defaults = f.has('is-default') ? booleanFilter('is-default', f.get('is-default')!) : undefined;
    const cidrs = f.get('cidr-block');
    if (!defaults && !cidrs) {
      const r = await ctx.services.vpcs.describeVpcs(scopeOf(ctx), filter, page.offset, page.limit);
      return { TotalCount: r.total, VpcSet: r.items.map((i) => vpcView(i.vpc)) };
    }
    const all = await ctx.services.vpcs.describeVpcs(scopeOf(ctx), filter, 0, WHOLE_LIST);
    const kept = all.items
      .map((i) => i.vpc)
      .filter((v) => (!defaults || defaults.includes(v.isDefault)) && (!cidrs || cidrs.includes(v.cidr)));
    const r = pageOfList(kept, page);
    return { TotalCount: r.total, VpcSet: r.items.map(vpcView) };
  },
});
