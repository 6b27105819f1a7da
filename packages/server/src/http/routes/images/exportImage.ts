// exportImage: POST /v1/regions/{regionId}/images/{imageId}:exportImage — a private image's system disk into the image exchange bucket; idempotent by clientToken.
import { exportImageBody, type ExportImageResult } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'exportImage',
  method: 'POST',
  path: '/v1/regions/{regionId}/images/{imageId}:exportImage',
  body: exportImageBody,
  errors: [
    'invalidParameter',
    'missingParameter',
    'imageNotFound',
    'imageNotReady',
    'imageNotPrivate',
    'imageNotOwned',
  ],
  handle: ({ services, account, regionId, params, body }): Promise<ExportImageResult> =>
    services.imageExport.export(regionId, account, params.imageId!, body),
});
