// RunInstances (API 2.0): createInstances from `zoneId`, `instanceType` (or `cpu` and `mem` in
// GB, matched against the catalogue), `imageId`, `goodsNum`, `password`, `keyId`, `subnetId`.
import { INSTANCE_NAME, INSTANCE_NAME_RULE, TencentErrors } from '@kumo/contract';
import { callerOf, scopeOf } from '../../cvm/batch.js';
import { cvmInstanceId, keyNameOf } from '../../cvm/ids.js';
import type { V2Action } from '../action.js';
import { intOf, required } from '../params.js';
import { zoneNameOf } from '../zones.js';

export default {
  action: 'RunInstances',
  operation: 'createInstances',
  handle: async (ctx) => {
    const p = ctx.params;
    const az = await zoneNameOf(ctx, required(p, 'zoneId', 64));
    let instanceType = p.instanceType;
    if (!instanceType) {
      const cpu = intOf(p, 'cpu');
      const mem = intOf(p, 'mem');
      if (cpu === undefined || mem === undefined)
        throw TencentErrors.missingParameter('instanceType (or cpu and mem)');
      const match = ctx.services.instanceTypes.catalogue.find(
        (t) => t.cpu === cpu && t.memoryMB === mem * 1024,
      );
      if (!match)
        throw TencentErrors.invalidParameterValue(
          'cpu,mem',
          `no instance type has ${cpu} vCPU and ${mem} GB`,
        );
      instanceType = match.instanceType;
    }
    const count = intOf(p, 'goodsNum') ?? 1;
    if (count < 1 || count > 100) throw TencentErrors.invalidParameterValue('goodsNum', 'between 1 and 100');
    const name = p.instanceName ?? 'Unnamed';
    if (!INSTANCE_NAME.test(name))
      throw TencentErrors.invalidParameterValue('instanceName', INSTANCE_NAME_RULE);
    const keyNames = p.keyId ? [keyNameOf(p.keyId)] : [];
    if (!p.password && keyNames.length === 0) throw TencentErrors.missingParameter('password (or keyId)');
    const r = await ctx.services.instances.create(scopeOf(ctx), callerOf(ctx), {
      name,
      az,
      instanceType,
      imageId: required(p, 'imageId', 64),
      networkInterface: p.subnetId
        ? { subnetId: p.subnetId, primaryIpAddress: p.privateIpAddress || undefined }
        : undefined,
      keyNames,
      ...(p.password ? { password: p.password } : {}),
      description: '',
      diskCategory: 'local',
      dataDisks: [],
      maxCount: count,
    });
    return { unInstanceIds: r.instanceIds.map(cvmInstanceId) };
  },
} satisfies V2Action;
