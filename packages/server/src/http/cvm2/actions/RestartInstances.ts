// RestartInstances (API 2.0): rebootInstance for each of `instanceIds.N`.
import { v2LifecycleAction } from './lifecycle.js';

export default v2LifecycleAction('RestartInstances', 'rebootInstance', 'reboot');
