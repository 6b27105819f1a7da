// TerminateInstances (API 2.0): deleteInstance for each of `instanceIds.N`.
import { v2LifecycleAction } from './lifecycle.js';

export default v2LifecycleAction('TerminateInstances', 'deleteInstance', 'delete');
