// extendDisk: POST /v1/regions/{regionId}/disks/{diskId}:extend — grow only, within the type's range; pollers see extending.
import { extendDiskBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'extendDisk',
  method: 'POST',
  path: '/v1/regions/{regionId}/disks/{diskId}:extend',
  body: extendDiskBody,
  errors: [
    'diskNotFound',
    'invalidDiskStatus',
    'diskShrink',
    'diskSizeOutOfRange',
    'storageFull',
    'conflictWithTask',
  ],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.disks.extendDisk({ accountId: account.id, regionId }, params.diskId!, body.diskSizeGB);
    return undefined;
  },
});
