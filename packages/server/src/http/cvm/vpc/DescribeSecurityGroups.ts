// DescribeSecurityGroups: describeNetworkSecurityGroups by SecurityGroupIds or Filters
// (security-group-id, security-group-name, and the `tag:kumo:vpc-id` tag of the group's VPC).
import type { GroupFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { countPaging, filtersOf, filtersParam, idList, pageOf } from '../params.js';
import { idsOrFilters } from './list.js';
import { securityGroupView, VPC_TAG } from './views.js';

const FILTERS = ['security-group-id', 'security-group-name', `tag:${VPC_TAG}`] as const;

export default defineAction({
  action: 'DescribeSecurityGroups',
  service: 'vpc',
  operation: 'describeNetworkSecurityGroups',
  params: z.strictObject({
    SecurityGroupIds: idList.optional(),
    Filters: filtersParam,
    ...countPaging,
    OrderField: z.string().max(32).optional(),
    OrderDirection: z.string().max(8).optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    idsOrFilters(p.SecurityGroupIds, p.Filters, 'SecurityGroupIds');
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const ids = p.SecurityGroupIds?.length ? p.SecurityGroupIds : f.get('security-group-id');
    const filter: GroupFilter = {};
    if (ids) filter.ids = ids.map((id) => VPC_IDS.securityGroup.in('SecurityGroupIds', id));
    if (f.has('security-group-name')) filter.names = f.get('security-group-name')!;
    const vpcs = f.get(`tag:${VPC_TAG}`);
    if (vpcs) filter.vpcIds = vpcs.map((id) => VPC_IDS.vpc.in(`Filters.tag:${VPC_TAG}`, id));
    const r = await ctx.services.securityGroups.describe(scopeOf(ctx), filter, page.offset, page.limit);
    return { TotalCount: r.total, SecurityGroupSet: r.items.map(securityGroupView) };
  },
});
