// StartInstances: startInstance for each instance of the batch.
import { lifecycleAction } from './lifecycle.js';

export default lifecycleAction('StartInstances', 'startInstance', 'start');
