// attachDisk: POST /v1/regions/{regionId}/instances/{instanceId}:attachDisk — hot-plug into a running guest, or into a stopped instance's definition.
import { attachDiskBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'attachDisk',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:attachDisk',
  body: attachDiskBody,
  errors: [
    'instanceNotFound',
    'diskNotFound',
    'invalidInstanceStatus',
    'invalidDiskStatus',
    'invalidParameter',
    'unsupported',
    'conflictWithTask',
  ],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.diskAttachments.attach(
      { accountId: account.id, regionId },
      params.instanceId!,
      body.diskId,
      {
        ...(body.deviceName !== undefined ? { deviceName: body.deviceName } : {}),
        ...(body.autoDelete !== undefined ? { autoDelete: body.autoDelete } : {}),
      },
    );
    return undefined;
  },
});
