// describeSnapshots: GET /v1/regions/{regionId}/snapshots — paged; filters snapshotId, diskId, status, name.
import { defineRoute } from '../../route.js';
import { parseFilters, parsePage } from '../../params.js';
import { snapshotView } from '../../views/disk.js';

export default defineRoute({
  operation: 'describeSnapshots',
  method: 'GET',
  path: '/v1/regions/{regionId}/snapshots',
  errors: ['unknownFilter', 'unsupportedFilterOperator', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }) => {
    const page = parsePage(query);
    const f = parseFilters(query, { snapshotId: {}, diskId: {}, status: {}, name: {} });
    const r = await services.disks.describeSnapshots(
      { accountId: account.id, regionId },
      { ids: f.get('snapshotId'), diskIds: f.get('diskId'), statuses: f.get('status'), names: f.get('name') },
      page.offset,
      page.pageSize,
    );
    return { snapshots: r.items.map(snapshotView), totalCount: r.total };
  },
});
