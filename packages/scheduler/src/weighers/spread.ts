// Weigher: spread load, most free memory/vCPU headroom first. Pure.
import { headroom } from './headroom.js';
import type { Weigher } from './weigher.js';

/** Prefers the host with the most free normalised capacity, so instances spread out (the default). */
export const spreadWeigher: Weigher = {
  name: 'spread',
  weigh: (hosts) => headroom(hosts),
};
