// deleteSnapshot: DELETE /v1/regions/{regionId}/snapshots/{snapshotId} — refused while disks were created from it.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteSnapshot',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/snapshots/{snapshotId}',
  errors: ['snapshotNotFound', 'snapshotHasDisks', 'invalidSnapshotStatus', 'conflictWithTask'],
  handle: async ({ services, account, regionId, params }) => {
    await services.disks.deleteSnapshot({ accountId: account.id, regionId }, params.snapshotId!);
    return undefined;
  },
});
