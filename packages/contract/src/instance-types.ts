// Wire shapes of describeInstanceTypes and describeQuotas (contract §2.4, §2.5); no behaviour.
import type { Filter } from './common.js';

/** An instance type's stock in one AZ. */
export interface InstanceTypeState {
  az: string;
  inStock: boolean;
}

/** An instance type as describeInstanceTypes lists it. */
export interface InstanceType {
  family: string;
  instanceType: string;
  cpu: number;
  memoryMB: number;
  nicLimit: number;
  desc: string;
  state: InstanceTypeState[];
  gpu?: { model: string; number: number };
  localDisks?: { diskType: string; diskSizeGB: number }[];
}

/** describeInstanceTypes query (filters `instanceTypes`, `az`). */
export interface DescribeInstanceTypesRequest {
  filters?: Filter[];
}
/** describeInstanceTypes result. */
export interface DescribeInstanceTypesResult {
  instanceTypes: InstanceType[];
  specificInstanceTypes?: InstanceType[];
  totalCount: number;
}

/** Quota resource types describeQuotas knows, in the order it lists them. */
export const QUOTA_RESOURCE_TYPES = [
  'instance',
  'keypair',
  'image',
  'instanceTemplate',
  'imageShare',
] as const;
/** A quota resource type. */
export type QuotaResourceType = (typeof QUOTA_RESOURCE_TYPES)[number];

/** One resource quota. */
export interface Quota {
  resourceType: string;
  limit: number;
  used: number;
}
/** describeQuotas query (filter `resourceTypes`; `imageId` for imageShare). */
export interface DescribeQuotasRequest {
  filters?: Filter[];
  imageId?: string;
}
/** describeQuotas result. */
export interface DescribeQuotasResult {
  quotas: Quota[];
}
