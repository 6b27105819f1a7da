// deleteKeypair: DELETE /v1/regions/{regionId}/keypairs/{keyName}.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteKeypair',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/keypairs/{keyName}',
  errors: ['keypairNotFound'],
  handle: async ({ services, account, regionId, params }) => {
    await services.keypairs.delete({ accountId: account.id, regionId }, params.keyName!);
    return undefined;
  },
});
