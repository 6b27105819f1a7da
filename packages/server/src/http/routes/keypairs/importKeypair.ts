// importKeypair: POST /v1/regions/{regionId}/keypairs:import — registers an OpenSSH public key.
import { importKeypairBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'importKeypair',
  method: 'POST',
  path: '/v1/regions/{regionId}/keypairs:import',
  body: importKeypairBody,
  errors: ['invalidParameter', 'malformedPublicKey', 'keyNameInUse', 'quotaExceeded'],
  handle: ({ services, account, regionId, body }) =>
    services.keypairs.import({ accountId: account.id, regionId }, body.keyName, body.publicKey),
});
