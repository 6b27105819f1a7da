// modifyDiskAttribute: PATCH /v1/regions/{regionId}/disks/{diskId} — name, description.
import { modifyDiskAttributeBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyDiskAttribute',
  method: 'PATCH',
  path: '/v1/regions/{regionId}/disks/{diskId}',
  body: modifyDiskAttributeBody,
  errors: ['diskNotFound', 'invalidParameter'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.disks.modifyDisk({ accountId: account.id, regionId }, params.diskId!, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    });
    return undefined;
  },
});
