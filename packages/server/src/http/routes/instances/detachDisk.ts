// detachDisk: POST /v1/regions/{regionId}/instances/{instanceId}:detachDisk — the guest lets the device go, then the disk is available.
import { detachDiskBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'detachDisk',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:detachDisk',
  body: detachDiskBody,
  errors: ['instanceNotFound', 'diskNotFound', 'invalidParameter', 'invalidDiskStatus', 'conflictWithTask'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.diskAttachments.detach(
      { accountId: account.id, regionId },
      params.instanceId!,
      body.diskId,
    );
    return undefined;
  },
});
