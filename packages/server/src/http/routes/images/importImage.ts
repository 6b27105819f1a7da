// importImage: POST /v1/regions/{regionId}/images:import — a private image from a qcow2 at an http(s) URL or in the image exchange bucket (s3://); idempotent by clientToken.
import { importUserImageBody, type ImportImageResult } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'importImage',
  method: 'POST',
  path: '/v1/regions/{regionId}/images:import',
  body: importUserImageBody,
  errors: ['invalidParameter', 'missingParameter', 'quotaExceeded'],
  handle: ({ services, account, regionId, body }): Promise<ImportImageResult> =>
    services.imageImport.import({ accountId: account.id, regionId }, body, account.name),
});
