// createKeypair: POST /v1/regions/{regionId}/keypairs — a new RSA 2048 key, private half returned once.
import { z } from 'zod';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createKeypair',
  method: 'POST',
  path: '/v1/regions/{regionId}/keypairs',
  body: z.object({ keyName: z.string().max(256) }),
  handle: ({ services, account, regionId, body }) =>
    services.keypairs.create({ accountId: account.id, regionId }, body.keyName),
});
