// DescribeDisks: describeDisks by DiskIds or Filters (disk-id, disk-name, zone, instance-id,
// disk-type, disk-state), Offset/Limit paging.
import { TencentErrors } from '@kumo/contract';
import type { DiskFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS, VPC_IDS } from '../ids.js';
import { countPaging, filtersOf, filtersParam, idList, pageOf } from '../params.js';
import { DISK_TYPE_OF, diskView } from './views.js';

const FILTERS = ['disk-id', 'disk-name', 'zone', 'instance-id', 'disk-type'] as const;

export default defineAction({
  action: 'DescribeDisks',
  service: 'cbs',
  operation: 'describeDisks',
  params: z.strictObject({
    DiskIds: idList.optional(),
    Filters: filtersParam,
    ...countPaging,
    OrderField: z.string().max(32).optional(),
    Order: z.string().max(8).optional(),
    ReturnBindAutoSnapshotPolicy: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.DiskIds?.length && p.Filters?.length)
      throw TencentErrors.invalidParameterCombination('DiskIds and Filters cannot be given together');
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const ids = p.DiskIds?.length ? p.DiskIds : f.get('disk-id');
    const filter: DiskFilter = {};
    if (ids) filter.ids = ids.map((id) => CBS_IDS.disk.in('DiskIds', id));
    if (f.has('disk-name')) filter.names = f.get('disk-name')!;
    if (f.has('zone')) filter.azs = f.get('zone')!;
    if (f.has('instance-id'))
      filter.instanceIds = f.get('instance-id')!.map((id) => VPC_IDS.instance.in('Filters', id));
    if (f.has('disk-type'))
      filter.diskTypes = f.get('disk-type')!.map((t) => DISK_TYPE_OF[t] ?? `unknown:${t.slice(0, 32)}`);
    const r = await ctx.services.disks.describeDisks(scopeOf(ctx), filter, page.offset, page.limit);
    return { TotalCount: r.total, DiskSet: r.items.map(diskView) };
  },
});
