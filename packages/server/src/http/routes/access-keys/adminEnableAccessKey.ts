// adminEnableAccessKey: POST /admin/v1/accounts/{accountId}/accessKeys/{accessKey}:enable — re-enables any account's key.
import { defineRoute } from '../../route.js';
import { ADMIN } from './actor.js';

export default defineRoute({
  operation: 'adminEnableAccessKey',
  method: 'POST',
  path: '/admin/v1/accounts/{accountId}/accessKeys/{accessKey}:enable',
  admin: true,
  errors: ['accessKeyNotFound'],
  handle: ({ services, params }) =>
    services.accessKeys.setEnabled(ADMIN, params.accountId!, params.accessKey!, true).then(() => undefined),
});
