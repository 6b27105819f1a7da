// Admin describeAccounts: GET /admin/v1/accounts — every account, without secrets.
import { defineRoute } from '../../route.js';
import { accountView } from '../../views/resources.js';

export default defineRoute({
  operation: 'describeAccounts',
  method: 'GET',
  path: '/admin/v1/accounts',
  admin: true,
  errors: [],
  handle: async ({ services }) => ({ accounts: (await services.accounts.list()).map(accountView) }),
});
