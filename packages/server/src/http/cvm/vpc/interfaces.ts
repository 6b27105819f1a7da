// Lookups the interface and address actions share: an instance's primary interface, and the
// elastic IPs bound to interfaces (for their views).
import { TencentErrors } from '@kumo/contract';
import type { CvmContext } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { WHOLE_LIST } from './list.js';

/** The caller's instance and its primary interface; not found for unknown or others' ids. */
export async function primaryInterfaceOf(ctx: CvmContext<unknown>, tencentId: string) {
  const inst = await ctx.services.instances.get(scopeOf(ctx), VPC_IDS.instance.in('InstanceId', tencentId));
  const net = (await ctx.services.networkInterfaces.ofInstances(scopeOf(ctx), [inst.id])).get(inst.id);
  const primary = net?.interfaces.find((n) => n.role === 'Primary');
  if (!primary) throw TencentErrors.unsupportedOperation(`instance ${tencentId} without a VPC interface`);
  return { instanceId: inst.id, primary: primary.id };
}

/** The account's bound elastic IPs (at most its EIP quota). */
export async function boundAddresses(ctx: CvmContext<unknown>) {
  return (await ctx.services.elasticIps.describe(scopeOf(ctx), { associated: true }, 0, WHOLE_LIST)).items;
}
