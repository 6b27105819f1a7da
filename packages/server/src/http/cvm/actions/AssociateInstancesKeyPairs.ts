// AssociateInstancesKeyPairs: Kumo injects keys at creation and rebuild only (cloud-init's seed),
// so adding a key to a built guest is refused after the ids are checked; ResetInstance with
// LoginSettings.KeyIds is the way to change a guest's keys.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { batchOf } from '../batch.js';
import { keyNameOf } from '../ids.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'AssociateInstancesKeyPairs',
  operation: 'AssociateInstancesKeyPairs',
  params: z.strictObject({ InstanceIds: idList, KeyIds: idList, ForceStop: z.boolean().optional() }),
  handle: async (ctx) => {
    await batchOf(ctx, ctx.params.InstanceIds);
    ctx.params.KeyIds.forEach(keyNameOf);
    throw TencentErrors.unsupportedOperation(
      'Associating key pairs with a built instance (use ResetInstance with LoginSettings.KeyIds)',
    );
  },
});
