// StartInstances (API 2.0): startInstance for each of `instanceIds.N`.
import { v2LifecycleAction } from './lifecycle.js';

export default v2LifecycleAction('StartInstances', 'startInstance', 'start');
