// Public API of @kumo/network: the NetworkPlane contract and its OVN driver; re-exports only.
export type * from './plane.js';
export { ovn, OvnNetworkPlane } from './ovn-plane.js';
export { PlaneInputError, PlaneStateError, PortUpTimeoutError } from './errors.js';
export * as ovnNames from './names.js';
export { groupAcls, defaultDropAcls, eipQos, ovnPriority, type AclSpec, type QosSpec } from './acl.js';
