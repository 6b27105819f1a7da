// describeImages: GET /v1/regions/{regionId}/images — imageSource, platform, ids, rootDeviceType, status, paging.
import { Errors, IMAGE_SOURCES, IMAGE_STATUSES } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { parsePage, type DecodedQuery } from '../../params.js';
import { imageView } from '../../views/image.js';

function one(query: DecodedQuery, name: string, allowed?: readonly string[]): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > 64) throw Errors.invalidParameter(name);
  if (allowed && !allowed.includes(v))
    throw Errors.invalidParameter(name, `must be one of ${allowed.join(', ')}`);
  return v;
}

export default defineRoute({
  operation: 'describeImages',
  method: 'GET',
  path: '/v1/regions/{regionId}/images',
  errors: ['invalidParameter', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async (ctx) => {
    const page = parsePage(ctx.query);
    const ids = ctx.query.ids;
    if (
      ids !== undefined &&
      (!Array.isArray(ids) || ids.length > 100 || ids.some((i) => typeof i !== 'string'))
    ) {
      throw Errors.invalidParameter('ids');
    }
    const r = await ctx.services.images.describe(
      ctx.regionId,
      ctx.account,
      {
        ids: ids as string[] | undefined,
        imageSource: one(ctx.query, 'imageSource', IMAGE_SOURCES),
        platform: one(ctx.query, 'platform'),
        rootDeviceType: one(ctx.query, 'rootDeviceType', ['localDisk', 'cloudDisk']),
        status: one(ctx.query, 'status', IMAGE_STATUSES),
      },
      page.offset,
      page.pageSize,
    );
    return { images: r.items.map(imageView), totalCount: r.total };
  },
});
