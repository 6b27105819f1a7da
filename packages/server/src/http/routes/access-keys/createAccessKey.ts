// createAccessKey: POST /v1/accessKeys — a new access key of the caller's own account; the secret is shown only in this response.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createAccessKey',
  method: 'POST',
  path: '/v1/accessKeys',
  errors: ['accessKeyLimit'],
  handle: ({ services, account }) => services.accessKeys.create(account.id),
});
