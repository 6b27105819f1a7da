// describeInstanceTypes: GET /v1/regions/{regionId}/instanceTypes — filters `instanceTypes`, `az`.
import { defineRoute } from '../../route.js';
import { parseFilters } from '../../params.js';

export default defineRoute({
  operation: 'describeInstanceTypes',
  method: 'GET',
  path: '/v1/regions/{regionId}/instanceTypes',
  errors: ['unknownFilter', 'unsupportedFilterOperator'],
  handle: ({ services, query }) => {
    const filters = parseFilters(query, {
      instanceTypes: { maxValueLength: 64 },
      az: { maxValueLength: 64 },
    });
    return services.instanceTypes.describe({
      instanceTypes: filters.get('instanceTypes'),
      az: filters.get('az'),
    });
  },
});
