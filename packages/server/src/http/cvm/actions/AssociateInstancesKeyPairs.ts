// AssociateInstancesKeyPairs: the named key pairs replace each instance's keys (Tencent: the old
// key stops working), installed in the guest at its next start.
import { keyAssociationAction } from './key-association.js';

export default keyAssociationAction('AssociateInstancesKeyPairs', (_inst, named) => named);
