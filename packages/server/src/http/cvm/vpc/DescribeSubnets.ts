// DescribeSubnets: describeSubnets by SubnetIds or Filters (subnet-id, vpc-id, zone, subnet-name,
// is-default, cidr-block).
import type { SubnetFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { countPaging, filtersOf, filtersParam, idList, pageOf } from '../params.js';
import { booleanFilter, idsOrFilters, pageOfList, WHOLE_LIST } from './list.js';
import { subnetView } from './views.js';

const FILTERS = ['subnet-id', 'vpc-id', 'zone', 'subnet-name', 'is-default', 'cidr-block'] as const;

export default defineAction({
  action: 'DescribeSubnets',
  service: 'vpc',
  operation: 'describeSubnets',
  params: z.strictObject({ SubnetIds: idList.optional(), Filters: filtersParam, ...countPaging }),
  handle: async (ctx) => {
    const p = ctx.params;
    idsOrFilters(p.SubnetIds, p.Filters, 'SubnetIds');
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const ids = p.SubnetIds?.length ? p.SubnetIds : f.get('subnet-id');
    const filter: SubnetFilter = {};
    if (ids) filter.ids = ids.map((id) => VPC_IDS.subnet.in('SubnetIds', id));
    if (f.has('vpc-id')) filter.vpcIds = f.get('vpc-id')!.map((id) => VPC_IDS.vpc.in('Filters.vpc-id', id));
    if (f.has('zone')) filter.azs = f.get('zone')!;
    if (f.has('subnet-name')) filter.names = f.get('subnet-name')!;
    const defaults = f.has('is-default') ? booleanFilter('is-default', f.get('is-default')!) : undefined;
    const cidrs = f.get('cidr-block');
    if (!defaults && !cidrs) {
      const r = await ctx.services.vpcs.describeSubnets(scopeOf(ctx), filter, page.offset, page.limit);
      return { TotalCount: r.total, SubnetSet: r.items.map(subnetView) };
    }
    const all = await ctx.services.vpcs.describeSubnets(scopeOf(ctx), filter, 0, WHOLE_LIST);
    const kept = all.items.filter(
      (s) => (!defaults || defaults.includes(s.isDefault)) && (!cidrs || cidrs.includes(s.cidr)),
    );
    const r = pageOfList(kept, page);
    return { TotalCount: r.total, SubnetSet: r.items.map(subnetView) };
  },
});
