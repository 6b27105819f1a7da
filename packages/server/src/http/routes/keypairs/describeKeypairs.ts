// describeKeypairs: GET /v1/regions/{regionId}/keypairs — paged, optional `keyNames` filter.
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { keypairView } from '../../views/resources.js';

export default defineRoute({
  operation: 'describeKeypairs',
  method: 'GET',
  path: '/v1/regions/{regionId}/keypairs',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const filters = parseFilters(query, { keyNames: { maxValueLength: 32 } });
    const r = await services.keypairs.describe(
      { accountId: account.id, regionId },
      { names: filters.get('keyNames'), offset: page.offset, limit: page.pageSize },
    );
    return { keypairs: r.items.map(keypairView), totalCount: r.total };
  },
});
