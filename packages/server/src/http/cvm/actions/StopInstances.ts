// StopInstances: stopInstance for each instance (Kumo always asks the guest first, then forces).
import { z } from 'zod';
import { lifecycleAction } from './lifecycle.js';

export default lifecycleAction('StopInstances', 'stopInstance', 'stop', {
  ForceStop: z.boolean().optional(),
  StopType: z.enum(['SOFT', 'HARD', 'SOFT_FIRST']).optional(),
  StoppedMode: z.enum(['KEEP_CHARGING', 'STOP_CHARGING']).optional(),
});
