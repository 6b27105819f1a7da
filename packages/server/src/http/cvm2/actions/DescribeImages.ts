// DescribeImages (API 2.0): `imageIds.N`, `imageType` (1 private, 2 public, 3 shared), paging.
import { TencentErrors } from '@kumo/contract';
import type { V2Action } from '../action.js';
import { intOf, listOf, pageOf } from '../params.js';
import { v2Time } from '../views.js';

const SOURCE: Record<number, string> = { 1: 'private', 2: 'public', 3: 'shared' };

export default {
  action: 'DescribeImages',
  operation: 'describeImages',
  handle: async (ctx) => {
    const p = ctx.params;
    const page = pageOf(p);
    const type = intOf(p, 'imageType');
    if (type !== undefined && !SOURCE[type])
      throw TencentErrors.invalidParameterValue('imageType', '1, 2 or 3');
    const ids = listOf(p, 'imageIds');
    const r = await ctx.services.images.describe(
      ctx.regionId,
      ctx.account,
      { ...(ids.length > 0 ? { ids } : {}), ...(type !== undefined ? { imageSource: SOURCE[type] } : {}) },
      page.offset,
      page.limit,
    );
    return {
      totalCount: r.total,
      imageSet: r.items.map((i) => ({
        imageId: i.id,
        unImageId: i.id,
        imageName: i.name,
        imageType: i.ownerAccountId === null ? 2 : 1,
        osName: [i.platform, i.osVersion].filter(Boolean).join(' '),
        imageSize: i.minDiskGB,
        status: i.status === 'ready' ? 1 : 2,
        createTime: v2Time(i.createdAt),
        imageDescription: i.description,
      })),
    };
  },
} satisfies V2Action;
