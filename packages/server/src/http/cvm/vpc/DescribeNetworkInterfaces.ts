// DescribeNetworkInterfaces: describeNetworkInterfaces by NetworkInterfaceIds or Filters (vpc-id,
// subnet-id, network-interface-id, attachment.instance-id, network-interface-name, is-primary).
import type { InterfaceFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { countPaging, filtersOf, filtersParam, idList, pageOf } from '../params.js';
import { networkInterfaceView } from './address-views.js';
import { boundAddresses } from './interfaces.js';
import { booleanFilter, idsOrFilters } from './list.js';

const FILTERS = [
  'vpc-id',
  'subnet-id',
  'network-interface-id',
  'attachment.instance-id',
  'network-interface-name',
  'is-primary',
] as const;

export default defineAction({
  action: 'DescribeNetworkInterfaces',
  service: 'vpc',
  operation: 'describeNetworkInterfaces',
  params: z.strictObject({ NetworkInterfaceIds: idList.optional(), Filters: filtersParam, ...countPaging }),
  handle: async (ctx) => {
    const p = ctx.params;
    idsOrFilters(p.NetworkInterfaceIds, p.Filters, 'NetworkInterfaceIds');
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const ids = p.NetworkInterfaceIds?.length ? p.NetworkInterfaceIds : f.get('network-interface-id');
    const filter: InterfaceFilter = {};
    if (ids) filter.ids = ids.map((id) => VPC_IDS.networkInterface.in('NetworkInterfaceIds', id));
    if (f.has('vpc-id')) filter.vpcIds = f.get('vpc-id')!.map((id) => VPC_IDS.vpc.in('Filters.vpc-id', id));
    if (f.has('subnet-id'))
      filter.subnetIds = f.get('subnet-id')!.map((id) => VPC_IDS.subnet.in('Filters.subnet-id', id));
    if (f.has('attachment.instance-id'))
      filter.instanceIds = f.get('attachment.instance-id')!.map((id) => VPC_IDS.instance.in('Filters', id));
    if (f.has('network-interface-name')) filter.names = f.get('network-interface-name')!;
    if (f.has('is-primary'))
      filter.roles = booleanFilter('is-primary', f.get('is-primary')!).map((b) =>
        b ? 'Primary' : 'Secondary',
      );
    const r = await ctx.services.networkInterfaces.describe(scopeOf(ctx), filter, page.offset, page.limit);
    const eips = await boundAddresses(ctx);
    return { TotalCount: r.total, NetworkInterfaceSet: r.items.map((n) => networkInterfaceView(n, eips)) };
  },
});
