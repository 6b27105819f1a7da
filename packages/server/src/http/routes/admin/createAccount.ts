// Admin createAccount: POST /admin/v1/accounts — a user account with its first access key.
import { createAccountBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createAccount',
  method: 'POST',
  path: '/admin/v1/accounts',
  admin: true,
  body: createAccountBody,
  errors: ['invalidParameter', 'accountNameInUse'],
  handle: ({ services, body }) => services.accounts.create(body.name),
});
