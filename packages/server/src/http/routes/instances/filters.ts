// The filters of the instance list operations (contract §2.3), parsed into the store's filter.
import type { InstanceFilter } from '@kumo/store';
import { parseFilters, type DecodedQuery, type FilterSpec } from '../../params.js';

const COMMON: Record<string, FilterSpec> = {
  instanceId: {},
  privateIpAddress: {},
  vpcId: {},
  subnetId: {},
  imageId: {},
  networkInterfaceId: {},
  status: {},
  name: { single: true, maxValueLength: 64 },
};

/** Accepted filters per list operation. */
export const INSTANCE_FILTERS = {
  describeInstances: { ...COMMON, az: {}, agId: {}, faultDomain: {} },
  describeInstanceStatus: COMMON,
  describeInstancePrivateIpAddress: COMMON,
} satisfies Record<string, Record<string, FilterSpec>>;

/** Parses `filters.N.*` for one of the list operations. */
export function instanceFilter(query: DecodedQuery, accepted: Record<string, FilterSpec>): InstanceFilter {
  const f = parseFilters(query, accepted);
  const out: InstanceFilter = {};
  for (const [name, values] of f) {
    if (name === 'name') out.name = values[0] ?? '';
    else (out as Record<string, string[]>)[name] = values;
  }
  return out;
}
