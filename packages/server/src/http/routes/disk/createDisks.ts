// createDisks: POST /v1/regions/{regionId}/disks — maxCount disks from diskSpec (blank, or from a snapshot); idempotent by clientToken.
import { createDisksBody } from '@kumo/contract';
import { requirePostpaid } from '../../../billing/charges.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createDisks',
  method: 'POST',
  path: '/v1/regions/{regionId}/disks',
  body: createDisksBody,
  errors: [
    'invalidParameter',
    'missingParameter',
    'diskSizeOutOfRange',
    'snapshotNotFound',
    'invalidSnapshotStatus',
    'noStorageBackend',
    'storageFull',
    'quotaExceeded',
    'unsupported',
  ],
  handle: ({ services, account, regionId, body }) => {
    requirePostpaid(body.diskSpec.charge, 'DiskSpec.Charge');
    return services.disks.createDisks(
      { accountId: account.id, regionId },
      {
        az: body.diskSpec.az,
        name: body.diskSpec.name,
        description: body.diskSpec.description ?? '',
        diskType: body.diskSpec.diskType,
        diskSizeGB: body.diskSpec.diskSizeGB,
        ...(body.diskSpec.snapshotId ? { snapshotId: body.diskSpec.snapshotId } : {}),
        multiAttachable: body.diskSpec.multiAttachable ?? false,
        maxCount: body.maxCount,
        clientToken: body.clientToken,
      },
    );
  },
});
