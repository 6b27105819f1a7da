// modifyInstanceDiskAttribute: POST /v1/regions/{regionId}/instances/{instanceId}:modifyInstanceDiskAttribute — autoDelete of attached disks.
import { modifyInstanceDiskAttributeBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyInstanceDiskAttribute',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:modifyInstanceDiskAttribute',
  body: modifyInstanceDiskAttributeBody,
  errors: ['instanceNotFound', 'invalidParameter'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.diskAttachments.modify(
      { accountId: account.id, regionId },
      params.instanceId!,
      (body.dataDisks ?? []).map((x) => ({
        diskId: x.diskId,
        ...(x.autoDelete !== undefined ? { autoDelete: x.autoDelete } : {}),
      })),
    );
    return undefined;
  },
});
