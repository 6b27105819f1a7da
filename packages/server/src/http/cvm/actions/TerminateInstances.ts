// TerminateInstances: deleteInstance for each instance of the batch.
import { z } from 'zod';
import { lifecycleAction } from './lifecycle.js';

export default lifecycleAction('TerminateInstances', 'deleteInstance', 'delete', {
  ReleaseAddress: z.boolean().optional(),
  ReleasePrepaidDataDisks: z.boolean().optional(),
});
