// describeAccessKeys: GET /v1/accessKeys — the caller's own access keys, without secrets.
import { defineRoute } from '../../route.js';
import { keysView } from '../../views/access-keys.js';

export default defineRoute({
  operation: 'describeAccessKeys',
  method: 'GET',
  path: '/v1/accessKeys',
  errors: [],
  handle: ({ services, account }) => services.accessKeys.list(account.id).then(keysView),
});
