// describeDisk: GET /v1/regions/{regionId}/disks/{diskId}.
import { defineRoute } from '../../route.js';
import { diskView } from '../../views/disk.js';

export default defineRoute({
  operation: 'describeDisk',
  method: 'GET',
  path: '/v1/regions/{regionId}/disks/{diskId}',
  errors: ['diskNotFound'],
  handle: async ({ services, account, regionId, params }) => ({
    disk: diskView(await services.disks.describeDisk({ accountId: account.id, regionId }, params.diskId!)),
  }),
});
