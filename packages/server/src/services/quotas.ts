// describeQuotas: per-account limits from config, `used` counted from the inventory.
import { QUOTA_RESOURCE_TYPES, type QuotaResourceType } from '@kumo/contract';
import type { Scope } from '@kumo/store';
import type { QuotaLimits } from '../config.js';

/** Counts what an account uses of one resource type (image shares are per image). */
export type UsageCounter = (scope: Scope, opts: { imageId?: string }) => Promise<number>;

/** Quota limits and usage. */
export class QuotaService {
  constructor(
    private readonly limits: QuotaLimits,
    private readonly usage: Partial<Record<QuotaResourceType, UsageCounter>>,
  ) {}

  /** The limit for a resource type. */
  limit(type: QuotaResourceType): number {
    return this.limits[type];
  }

  /** Quotas for the requested types (all when none are named). */
  async describe(scope: Scope, opts: { resourceTypes?: string[]; imageId?: string }) {
    const types = QUOTA_RESOURCE_TYPES.filter((t) => !opts.resourceTypes || opts.resourceTypes.includes(t));
    const quotas = await Promise.all(
      types.map(async (resourceType) => ({
        resourceType,
        limit: this.limits[resourceType],
        used: (await this.usage[resourceType]?.(scope, opts)) ?? 0,
      })),
    );
    return { quotas };
  }
}
