// Guest devices of an instance's disks that more than one layer must agree on.

/** The root disk's device: a host overlay, or on shared storage a cloud system disk attached there. */
export const SYSTEM_DEVICE = 'vda';
