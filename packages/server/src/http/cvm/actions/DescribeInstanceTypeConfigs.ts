// DescribeInstanceTypeConfigs: the catalogue's types in each AZ of the region.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { filtersParam } from '../params.js';
import { typeRows } from './instance-types.js';

export default defineAction({
  action: 'DescribeInstanceTypeConfigs',
  operation: 'describeInstanceTypes',
  params: z.strictObject({ Filters: filtersParam }),
  handle: async (ctx) => ({
    InstanceTypeConfigSet: (await typeRows(ctx, ctx.params.Filters)).map(({ type, zone }) => ({
      Zone: zone,
      InstanceType: type.instanceType,
      InstanceFamily: type.family,
      GPU: 0,
      CPU: type.cpu,
      Memory: Math.round(type.memoryMB / 1024),
      FPGA: 0,
    })),
  }),
});
