// DescribeSnapshots: describeSnapshots by SnapshotIds or Filters (snapshot-id, snapshot-name,
// disk-id), Offset/Limit paging.
import { TencentErrors } from '@kumo/contract';
import type { SnapshotFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS } from '../ids.js';
import { countPaging, filtersOf, filtersParam, idList, pageOf } from '../params.js';
import { snapshotView } from './views.js';

const FILTERS = ['snapshot-id', 'snapshot-name', 'disk-id'] as const;

export default defineAction({
  action: 'DescribeSnapshots',
  service: 'cbs',
  operation: 'describeSnapshots',
  params: z.strictObject({
    SnapshotIds: idList.optional(),
    Filters: filtersParam,
    ...countPaging,
    OrderField: z.string().max(32).optional(),
    Order: z.string().max(8).optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.SnapshotIds?.length && p.Filters?.length)
      throw TencentErrors.invalidParameterCombination('SnapshotIds and Filters cannot be given together');
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const ids = p.SnapshotIds?.length ? p.SnapshotIds : f.get('snapshot-id');
    const filter: SnapshotFilter = {};
    if (ids) filter.ids = ids.map((id) => CBS_IDS.snapshot.in('SnapshotIds', id));
    if (f.has('snapshot-name')) filter.names = f.get('snapshot-name')!;
    if (f.has('disk-id'))
      filter.diskIds = f.get('disk-id')!.map((id) => CBS_IDS.disk.in('Filters.disk-id', id));
    const r = await ctx.services.disks.describeSnapshots(scopeOf(ctx), filter, page.offset, page.limit);
    const azs = new Map<string, string>();
    for (const s of r.items) {
      if (!azs.has(s.diskId))
        azs.set(
          s.diskId,
          (await ctx.services.disks.describeDisk(scopeOf(ctx), s.diskId).catch(() => undefined))?.az ?? '',
        );
    }
    return { TotalCount: r.total, SnapshotSet: r.items.map((s) => snapshotView(s, azs.get(s.diskId)!)) };
  },
});
