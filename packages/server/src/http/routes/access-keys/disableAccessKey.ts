// disableAccessKey: POST /v1/accessKeys/{accessKey}:disable — stops one of the caller's keys from signing requests, on every kumod at once; the last enabled key cannot be disabled.
import { defineRoute } from '../../route.js';
import { self } from './actor.js';

export default defineRoute({
  operation: 'disableAccessKey',
  method: 'POST',
  path: '/v1/accessKeys/{accessKey}:disable',
  errors: ['accessKeyNotFound', 'lastAccessKey'],
  handle: ({ services, account, params }) =>
    services.accessKeys.setEnabled(self(account), account.id, params.accessKey!, false).then(() => undefined),
});
