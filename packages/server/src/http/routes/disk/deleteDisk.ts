// deleteDisk: DELETE /v1/regions/{regionId}/disks/{diskId} — a detached disk without snapshots; pollers see deleting.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteDisk',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/disks/{diskId}',
  errors: ['diskNotFound', 'invalidDiskStatus', 'diskHasSnapshots', 'conflictWithTask'],
  handle: async ({ services, account, regionId, params }) => {
    await services.disks.deleteDisk({ accountId: account.id, regionId }, params.diskId!);
    return undefined;
  },
});
