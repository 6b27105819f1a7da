// adminCreateAccessKey: POST /admin/v1/accounts/{accountId}/accessKeys — a new access key for any account; the secret is shown only in this response.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'adminCreateAccessKey',
  method: 'POST',
  path: '/admin/v1/accounts/{accountId}/accessKeys',
  admin: true,
  errors: ['accountNotFound', 'accessKeyLimit'],
  handle: ({ services, params }) => services.accessKeys.create(params.accountId!),
});
