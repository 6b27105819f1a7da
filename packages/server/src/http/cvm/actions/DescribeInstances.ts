// DescribeInstances: describeInstances with CVM's InstanceIds or Filters and Offset/Limit paging.
import { TencentErrors } from '@kumo/contract';
import type { InstanceFilter } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { instanceIdOf } from '../ids.js';
import { filtersOf, filtersParam, idList, pageOf, paging } from '../params.js';
import { instanceView, statusesOf } from '../views.js';

const FILTERS = [
  'zone',
  'instance-id',
  'instance-name',
  'instance-state',
  'private-ip-address',
  'vpc-id',
  'subnet-id',
  'image-id',
] as const;

export default defineAction({
  action: 'DescribeInstances',
  operation: 'describeInstances',
  params: z.strictObject({ InstanceIds: idList.optional(), Filters: filtersParam, ...paging }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.InstanceIds && p.Filters) {
      throw TencentErrors.invalidParameterCombination('InstanceIds and Filters cannot be given together');
    }
    const page = pageOf(p);
    const f = filtersOf(p.Filters, FILTERS);
    const out: InstanceFilter = {};
    const ids = p.InstanceIds ?? f.get('instance-id');
    // An empty list names no instance in particular: all of them, as with no list.
    if (ids && ids.length > 0) out.instanceId = ids.map(instanceIdOf);
    if (f.has('zone')) out.az = f.get('zone')!;
    if (f.has('private-ip-address')) out.privateIpAddress = f.get('private-ip-address')!;
    if (f.has('vpc-id')) out.vpcId = f.get('vpc-id')!;
    if (f.has('subnet-id')) out.subnetId = f.get('subnet-id')!;
    if (f.has('image-id')) out.imageId = f.get('image-id')!;
    if (f.has('instance-state')) out.status = f.get('instance-state')!.flatMap(statusesOf);
    const names = f.get('instance-name');
    if (names) {
      if (names.length > 1)
        throw TencentErrors.invalidParameterValue('Filters.instance-name', 'one value only');
      out.name = names[0]!;
    }
    // A state filter that names no Kumo status matches nothing (an empty list would match all).
    if (out.status && out.status.length === 0) return { TotalCount: 0, InstanceSet: [] };
    const r = await ctx.services.instances.page(scopeOf(ctx), out, page.offset, page.limit);
    const shown = r.items.map((i) => i.id);
    const [net, disks] = await Promise.all([
      ctx.services.networkInterfaces.ofInstances(scopeOf(ctx), shown),
      ctx.services.diskAttachments.dataDisksOf(shown),
    ]);
    return {
      TotalCount: r.total,
      InstanceSet: r.items.map((i) => instanceView(i, net.get(i.id), disks.get(i.id))),
    };
  },
});
