// describeKeypairs: GET /v1/regions/{regionId}/keypairs — paged, optional `keyNames` filter.
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';

export default defineRoute({
  operation: 'describeKeypairs',
  method: 'GET',
  path: '/v1/regions/{regionId}/keypairs',
  handle: ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const filters = parseFilters(query, { keyNames: { maxValueLength: 32 } });
    return services.keypairs.describe(
      { accountId: account.id, regionId },
      { names: filters.get('keyNames'), offset: page.offset, limit: page.pageSize },
    );
  },
});
