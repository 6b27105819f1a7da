// DescribeImages: describeImages with CVM's ImageIds, Filters (image-id, image-type, platform) and paging.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { filtersOf, filtersParam, idList, pageOf, paging } from '../params.js';
import { imageView } from '../views.js';

const SOURCE: Record<string, string> = {
  PUBLIC_IMAGE: 'public',
  PRIVATE_IMAGE: 'private',
  SHARED_IMAGE: 'shared',
};

export default defineAction({
  action: 'DescribeImages',
  operation: 'describeImages',
  params: z.strictObject({
    ImageIds: idList.optional(),
    Filters: filtersParam,
    ...paging,
    InstanceType: z.string().max(64).optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.ImageIds && p.Filters) {
      throw TencentErrors.invalidParameterCombination('ImageIds and Filters cannot be given together');
    }
    const page = pageOf(p);
    const f = filtersOf(p.Filters, ['image-id', 'image-type', 'platform']);
    const one = (name: string): string | undefined => {
      const v = f.get(name);
      if (v && v.length > 1) throw TencentErrors.invalidParameterValue(`Filters.${name}`, 'one value only');
      return v?.[0];
    };
    const type = one('image-type');
    if (type !== undefined && !SOURCE[type]) {
      throw TencentErrors.invalidParameterValue(
        'Filters.image-type',
        'PUBLIC_IMAGE, PRIVATE_IMAGE or SHARED_IMAGE',
      );
    }
    const ids = p.ImageIds ?? f.get('image-id');
    const r = await ctx.services.images.describe(
      ctx.regionId,
      ctx.account,
      {
        ...(ids ? { ids } : {}),
        ...(type ? { imageSource: SOURCE[type] } : {}),
        ...(one('platform') !== undefined ? { platform: one('platform') } : {}),
      },
      page.offset,
      page.limit,
    );
    return { ImageSet: r.items.map((i) => imageView(i, ctx.account.id)), TotalCount: r.total };
  },
});
