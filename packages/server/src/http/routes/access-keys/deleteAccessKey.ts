// deleteAccessKey: DELETE /v1/accessKeys/{accessKey} — deletes one of the caller's keys; the last enabled key cannot be deleted.
import { defineRoute } from '../../route.js';
import { self } from './actor.js';

export default defineRoute({
  operation: 'deleteAccessKey',
  method: 'DELETE',
  path: '/v1/accessKeys/{accessKey}',
  errors: ['accessKeyNotFound', 'lastAccessKey'],
  handle: ({ services, account, params }) =>
    services.accessKeys.remove(self(account), account.id, params.accessKey!).then(() => undefined),
});
