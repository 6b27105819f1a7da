// DescribeInstances (API 2.0): `instanceIds.N`, `lanIps.N`, `zoneId`, `offset`/`limit`.
import type { InstanceFilter } from '@kumo/store';
import { scopeOf } from '../../cvm/batch.js';
import { instanceIdOf } from '../../cvm/ids.js';
import type { V2Action } from '../action.js';
import { listOf, pageOf } from '../params.js';
import { v2InstanceView } from '../views.js';
import { zoneNameOf } from '../zones.js';

export default {
  action: 'DescribeInstances',
  operation: 'describeInstances',
  handle: async (ctx) => {
    const p = ctx.params;
    const page = pageOf(p);
    const f: InstanceFilter = {};
    const ids = listOf(p, 'instanceIds');
    if (ids.length > 0) f.instanceId = ids.map(instanceIdOf);
    const lanIps = listOf(p, 'lanIps');
    if (lanIps.length > 0) f.privateIpAddress = lanIps;
    if (p.zoneId) f.az = [await zoneNameOf(ctx, p.zoneId)];
    const r = await ctx.services.instances.page(scopeOf(ctx), f, page.offset, page.limit);
    return { totalCount: r.total, instanceSet: r.items.map(v2InstanceView) };
  },
} satisfies V2Action;
