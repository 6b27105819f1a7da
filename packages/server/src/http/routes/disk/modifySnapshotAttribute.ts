// modifySnapshotAttribute: PATCH /v1/regions/{regionId}/snapshots/{snapshotId} — name, description.
import { modifySnapshotAttributeBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifySnapshotAttribute',
  method: 'PATCH',
  path: '/v1/regions/{regionId}/snapshots/{snapshotId}',
  body: modifySnapshotAttributeBody,
  errors: ['snapshotNotFound', 'invalidParameter'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.disks.modifySnapshot({ accountId: account.id, regionId }, params.snapshotId!, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    });
    return undefined;
  },
});
