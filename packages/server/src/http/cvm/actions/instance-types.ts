// The instance-type catalogue with free capacity per AZ, filtered as CVM's two type actions filter.
import type { CvmContext } from '../action.js';
import { filtersOf } from '../params.js';

/** Filters both type actions accept. */
export const TYPE_FILTERS = ['zone', 'instance-family', 'instance-type', 'instance-charge-type'] as const;

/** One row per (type, AZ) matching the filters. */
export async function typeRows(
  ctx: CvmContext<unknown>,
  filters: { Name: string; Values: string[] }[] | undefined,
) {
  const f = filtersOf(filters, TYPE_FILTERS);
  const charge = f.get('instance-charge-type');
  if (charge && !charge.includes('POSTPAID_BY_HOUR')) return [];
  const zones = new Set(
    (await ctx.services.hosts.zones()).filter((z) => z.regionId === ctx.regionId).map((z) => z.az),
  );
  const r = await ctx.services.instanceTypes.describe({
    instanceTypes: f.get('instance-type'),
    az: [...zones].filter((z) => !f.get('zone') || f.get('zone')!.includes(z)),
  });
  const families = f.get('instance-family');
  return r.instanceTypes
    .filter((t) => !families || families.includes(t.family))
    .flatMap((t) => t.state.map((s) => ({ type: t, zone: s.az, inStock: s.inStock })));
}
