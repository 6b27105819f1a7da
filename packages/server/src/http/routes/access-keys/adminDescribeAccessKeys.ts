// adminDescribeAccessKeys: GET /admin/v1/accounts/{accountId}/accessKeys — an account's access keys, without secrets.
import { defineRoute } from '../../route.js';
import { keysView } from '../../views/access-keys.js';

export default defineRoute({
  operation: 'adminDescribeAccessKeys',
  method: 'GET',
  path: '/admin/v1/accounts/{accountId}/accessKeys',
  admin: true,
  errors: ['accountNotFound'],
  handle: ({ services, params }) => services.accessKeys.list(params.accountId!).then(keysView),
});
