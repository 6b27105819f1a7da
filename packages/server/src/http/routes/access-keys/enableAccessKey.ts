// enableAccessKey: POST /v1/accessKeys/{accessKey}:enable — lets a disabled key of the caller sign requests again.
import { defineRoute } from '../../route.js';
import { self } from './actor.js';

export default defineRoute({
  operation: 'enableAccessKey',
  method: 'POST',
  path: '/v1/accessKeys/{accessKey}:enable',
  errors: ['accessKeyNotFound'],
  handle: ({ services, account, params }) =>
    services.accessKeys.setEnabled(self(account), account.id, params.accessKey!, true).then(() => undefined),
});
