// Lookups the security group actions share: a group of the caller's account by Tencent id, and
// the VPC a new group goes in (its `kumo:vpc-id` tag, else the region's default VPC).
import { TencentErrors } from '@kumo/contract';
import type { CvmContext } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { VPC_TAG } from './views.js';
import { WHOLE_LIST } from './list.js';

/** A group of the account with its rules; ResourceNotFound for unknown or others' ids. */
export function groupOf(ctx: CvmContext<unknown>, tencentId: string, name = 'SecurityGroupId') {
  return ctx.services.securityGroups.get(scopeOf(ctx), VPC_IDS.securityGroup.in(name, tencentId));
}

/** The Kumo VPC a group created with `tags` belongs to. */
export async function vpcForGroup(
  ctx: CvmContext<unknown>,
  tags: { Key: string; Value?: string | undefined }[] | undefined,
): Promise<string> {
  const tag = tags?.find((t) => t.Key === VPC_TAG);
  if (tag) {
    if (!tag.Value) throw TencentErrors.invalidParameterValue(`Tags.${VPC_TAG}`, 'needs a VPC id');
    return VPC_IDS.vpc.in(`Tags.${VPC_TAG}`, tag.Value);
  }
  const all = await ctx.services.vpcs.describeVpcs(scopeOf(ctx), {}, 0, WHOLE_LIST);
  const vpc = all.items.find((i) => i.vpc.isDefault);
  if (!vpc) throw TencentErrors.resourceNotFound('default VPC', ctx.regionId);
  return vpc.vpc.id;
}
