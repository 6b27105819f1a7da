// @kumo/scheduler: pure host placement (filters, weighers, place()). No I/O and no imports of other Kumo packages.
export type { HostSnapshot, Placement, PlacementRequest, Rejection, Resource, WeigherName } from './types.js';
export { place } from './place.js';
export { usable } from './capacity.js';
