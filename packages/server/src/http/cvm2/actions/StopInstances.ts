// StopInstances (API 2.0): stopInstance for each of `instanceIds.N`.
import { v2LifecycleAction } from './lifecycle.js';

export default v2LifecycleAction('StopInstances', 'stopInstance', 'stop');
