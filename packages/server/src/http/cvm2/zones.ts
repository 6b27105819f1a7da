// API 2.0 names zones by number: the numbering DescribeZones (3.0) shows, or the AZ's name.
import { TencentErrors } from '@kumo/contract';
import type { CvmContext } from '../cvm/action.js';
import { zoneIdsOf } from '../cvm/zones.js';

/** The AZ a `zoneId` parameter names (its number or its name) in the request's region. */
export async function zoneNameOf(ctx: CvmContext<unknown>, zoneId: string): Promise<string> {
  const zones = await zoneIdsOf(ctx);
  const z = zones.find((x) => x.zoneId === zoneId || x.az === zoneId);
  if (!z)
    throw TencentErrors.invalidParameterValue(
      'zoneId',
      `no zone '${zoneId.slice(0, 64)}' in ${ctx.regionId}`,
    );
  return z.az;
}
