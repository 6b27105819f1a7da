// restoreDisk: POST /v1/regions/{regionId}/disks/{diskId}:restore — back to one of its snapshots, while detached.
import { restoreDiskBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'restoreDisk',
  method: 'POST',
  path: '/v1/regions/{regionId}/disks/{diskId}:restore',
  body: restoreDiskBody,
  errors: [
    'diskNotFound',
    'snapshotNotFound',
    'snapshotOfOtherDisk',
    'invalidDiskStatus',
    'invalidSnapshotStatus',
    'conflictWithTask',
  ],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.disks.restoreDisk({ accountId: account.id, regionId }, params.diskId!, body.snapshotId);
    return undefined;
  },
});
