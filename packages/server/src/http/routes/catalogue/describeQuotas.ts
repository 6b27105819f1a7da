// describeQuotas: GET /v1/regions/{regionId}/quotas — filter `resourceTypes`, optional `imageId`.
import { Errors, ID_PATTERNS, QUOTA_RESOURCE_TYPES } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { parseFilters } from '../../params.js';

export default defineRoute({
  operation: 'describeQuotas',
  method: 'GET',
  path: '/v1/regions/{regionId}/quotas',
  errors: ['unknownFilter', 'invalidParameter'],
  handle: ({ services, account, regionId, query }) => {
    const filters = parseFilters(query, { resourceTypes: { maxValueLength: 32 } });
    const resourceTypes = filters.get('resourceTypes');
    const unknown = resourceTypes?.find((t) => !(QUOTA_RESOURCE_TYPES as readonly string[]).includes(t));
    if (unknown) throw Errors.invalidParameter('resourceTypes', `unknown resource type '${unknown}'`);
    const imageId = query.imageId;
    if (imageId !== undefined && (typeof imageId !== 'string' || !ID_PATTERNS.image.test(imageId))) {
      throw Errors.invalidParameter('imageId');
    }
    return services.quotas.describe({ accountId: account.id, regionId }, { resourceTypes, imageId });
  },
});
