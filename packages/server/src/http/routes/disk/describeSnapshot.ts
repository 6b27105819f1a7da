// describeSnapshot: GET /v1/regions/{regionId}/snapshots/{snapshotId}.
import { defineRoute } from '../../route.js';
import { snapshotView } from '../../views/disk.js';

export default defineRoute({
  operation: 'describeSnapshot',
  method: 'GET',
  path: '/v1/regions/{regionId}/snapshots/{snapshotId}',
  errors: ['snapshotNotFound'],
  handle: async ({ services, account, regionId, params }) => ({
    snapshot: snapshotView(
      await services.disks.describeSnapshot({ accountId: account.id, regionId }, params.snapshotId!),
    ),
  }),
});
