// DisassociateInstancesKeyPairs: the named key pairs are taken from each instance's keys, the
// others stay; the guest loses them at its next start.
import { keyAssociationAction } from './key-association.js';

export default keyAssociationAction('DisassociateInstancesKeyPairs', (inst, named) =>
  inst.keyNames.filter((k) => !named.includes(k)),
);
