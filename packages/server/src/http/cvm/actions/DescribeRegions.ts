// DescribeRegions: the regions this control plane serves (no JD twin).
import { z } from 'zod';
import { defineAction } from '../action.js';

export default defineAction({
  action: 'DescribeRegions',
  operation: 'DescribeRegions',
  regionless: true,
  params: z.strictObject({ Product: z.string().max(64).optional() }),
  handle: async (ctx) => {
    const regions = await ctx.regions();
    return {
      TotalCount: regions.length,
      RegionSet: regions.map((r) => ({ Region: r, RegionName: r, RegionState: 'AVAILABLE' })),
    };
  },
});
