// DescribeZoneInstanceConfigInfos: describeInstanceTypes per AZ, with sale status from free capacity.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { filtersParam } from '../params.js';
import { typeRows } from './instance-types.js';

export default defineAction({
  action: 'DescribeZoneInstanceConfigInfos',
  operation: 'describeInstanceTypes',
  params: z.strictObject({ Filters: filtersParam }),
  handle: async (ctx) => ({
    InstanceTypeQuotaSet: (await typeRows(ctx, ctx.params.Filters)).map(({ type, zone, inStock }) => ({
      Zone: zone,
      InstanceType: type.instanceType,
      InstanceChargeType: 'POSTPAID_BY_HOUR',
      NetworkCard: 0,
      Externals: {},
      Cpu: type.cpu,
      Memory: Math.round(type.memoryMB / 1024),
      InstanceFamily: type.family,
      TypeName: type.desc,
      LocalDiskTypeList: [],
      Status: inStock ? 'SELL' : 'SOLD_OUT',
      Price: { UnitPrice: 0, ChargeUnit: 'HOUR' },
      SoldOutReason: inStock ? '' : 'No host in the zone has room for this type',
      InstanceBandwidth: 0,
      InstancePps: 0,
      StorageBlockAmount: 0,
      CpuType: '',
      Gpu: 0,
      Fpga: 0,
      Remark: '',
    })),
  }),
});
