// RebootInstances: rebootInstance (a power cycle) for each instance of the batch.
import { z } from 'zod';
import { lifecycleAction } from './lifecycle.js';

export default lifecycleAction('RebootInstances', 'rebootInstance', 'reboot', {
  ForceReboot: z.boolean().optional(),
  StopType: z.enum(['SOFT', 'HARD', 'SOFT_FIRST']).optional(),
});
