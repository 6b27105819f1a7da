// Tencent's numeric zone ids: an AZ's position in its region, stable while AZs are only added.
import type { CvmContext } from './action.js';

/** The request region's AZs with their numeric ids. */
export async function zoneIdsOf(ctx: CvmContext<unknown>): Promise<{ az: string; zoneId: string }[]> {
  const zones = (await ctx.services.hosts.zones()).filter((z) => z.regionId === ctx.regionId);
  return zones.map((z, i) => ({ az: z.az, zoneId: String(100001 + i) }));
}
