// adminDeleteAccessKey: DELETE /admin/v1/accounts/{accountId}/accessKeys/{accessKey} — deletes any account's key.
import { defineRoute } from '../../route.js';
import { ADMIN } from './actor.js';

export default defineRoute({
  operation: 'adminDeleteAccessKey',
  method: 'DELETE',
  path: '/admin/v1/accounts/{accountId}/accessKeys/{accessKey}',
  admin: true,
  errors: ['accessKeyNotFound'],
  handle: ({ services, params }) =>
    services.accessKeys.remove(ADMIN, params.accountId!, params.accessKey!).then(() => undefined),
});
