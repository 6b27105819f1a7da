// adminDisableAccessKey: POST /admin/v1/accounts/{accountId}/accessKeys/{accessKey}:disable — disables any account's key, its last one included (locks a tenant out).
import { defineRoute } from '../../route.js';
import { ADMIN } from './actor.js';

export default defineRoute({
  operation: 'adminDisableAccessKey',
  method: 'POST',
  path: '/admin/v1/accounts/{accountId}/accessKeys/{accessKey}:disable',
  admin: true,
  errors: ['accessKeyNotFound'],
  handle: ({ services, params }) =>
    services.accessKeys.setEnabled(ADMIN, params.accountId!, params.accessKey!, false).then(() => undefined),
});
