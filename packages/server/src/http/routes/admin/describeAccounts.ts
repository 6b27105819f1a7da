// Admin describeAccounts: GET /admin/v1/accounts — every account, without secrets.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeAccounts',
  method: 'GET',
  path: '/admin/v1/accounts',
  admin: true,
  handle: async ({ services }) => ({ accounts: await services.accounts.list() }),
});
