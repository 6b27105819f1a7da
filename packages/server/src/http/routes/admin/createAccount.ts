// Admin createAccount: POST /admin/v1/accounts — a user account with its first access key.
import { z } from 'zod';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createAccount',
  method: 'POST',
  path: '/admin/v1/accounts',
  admin: true,
  body: z.object({ name: z.string().max(256) }),
  handle: ({ services, body }) => services.accounts.create(body.name),
});
