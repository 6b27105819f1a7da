// createSnapshot: POST /v1/regions/{regionId}/snapshots — a crash-consistent snapshot of a disk; idempotent by clientToken.
import { createSnapshotBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createSnapshot',
  method: 'POST',
  path: '/v1/regions/{regionId}/snapshots',
  body: createSnapshotBody,
  errors: [
    'diskNotFound',
    'invalidDiskStatus',
    'invalidParameter',
    'missingParameter',
    'quotaExceeded',
    'conflictWithTask',
  ],
  handle: ({ services, account, regionId, body }) =>
    services.disks.createSnapshot(
      { accountId: account.id, regionId },
      {
        diskId: body.snapshotSpec.diskId,
        name: body.snapshotSpec.name,
        description: body.snapshotSpec.description ?? '',
        clientToken: body.clientToken,
      },
    ),
});
