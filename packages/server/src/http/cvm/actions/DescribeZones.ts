// DescribeZones: the AZs of the request's region, those some host is registered in (no JD twin).
import { z } from 'zod';
import { defineAction } from '../action.js';

export default defineAction({
  action: 'DescribeZones',
  operation: 'DescribeZones',
  params: z.strictObject({}),
  handle: async (ctx) => {
    const zones = (await ctx.services.hosts.zones()).filter((z) => z.regionId === ctx.regionId);
    return {
      TotalCount: zones.length,
      // ZoneId is Tencent's numeric id; here the AZ's position in its region, stable while AZs are only added.
      ZoneSet: zones.map((z, i) => ({
        Zone: z.az,
        ZoneName: z.az,
        ZoneId: String(100001 + i),
        ZoneState: 'AVAILABLE',
      })),
    };
  },
});
