// createKeypair: POST /v1/regions/{regionId}/keypairs — a new RSA 2048 key, private half returned once.
import { createKeypairBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createKeypair',
  method: 'POST',
  path: '/v1/regions/{regionId}/keypairs',
  body: createKeypairBody,
  errors: ['invalidParameter', 'keyNameInUse', 'quotaExceeded'],
  handle: ({ services, account, regionId, body }) =>
    services.keypairs.create({ accountId: account.id, regionId }, body.keyName),
});
