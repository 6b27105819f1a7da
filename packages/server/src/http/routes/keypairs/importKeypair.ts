// importKeypair: POST /v1/regions/{regionId}/keypairs:import — registers an OpenSSH public key.
import { z } from 'zod';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'importKeypair',
  method: 'POST',
  path: '/v1/regions/{regionId}/keypairs:import',
  body: z.object({ keyName: z.string().max(256), publicKey: z.string().max(64 * 1024) }),
  handle: ({ services, account, regionId, body }) =>
    services.keypairs.import({ accountId: account.id, regionId }, body.keyName, body.publicKey),
});
