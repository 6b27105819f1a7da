// DescribeZones: the AZs of the request's region, those some host is registered in (no JD twin).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { zoneIdsOf } from '../zones.js';

export default defineAction({
  action: 'DescribeZones',
  operation: 'DescribeZones',
  params: z.strictObject({}),
  handle: async (ctx) => {
    const zones = await zoneIdsOf(ctx);
    return {
      TotalCount: zones.length,
      ZoneSet: zones.map((z) => ({ Zone: z.az, ZoneName: z.az, ZoneId: z.zoneId, ZoneState: 'AVAILABLE' })),
    };
  },
});
