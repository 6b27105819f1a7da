// Memory units at the boundary between Kumo's inventory and the hypervisor. JD's API and Kumo's
// catalogue, store and scheduler count memory in `memoryMB`, which JD means as binary megabytes
// (a 1 GiB type says 1024); libvirt and @kumo/hypervisor count MiB. The two are the same number,
// and these named conversions are the only places one becomes the other.

/** A JD/Kumo `memoryMB` amount as the hypervisor's `memoryMiB`. */
export function memoryMiBFromMB(memoryMB: number): number {
  return memoryMB;
}

/** A hypervisor `memoryMiB` amount (host capacity) as Kumo's `memoryMB`. */
export function memoryMBFromMiB(memoryMiB: number): number {
  return memoryMiB;
}
