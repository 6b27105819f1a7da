// Weigher: pack load, least free memory/vCPU headroom first. Pure.
import { headroom } from './headroom.js';
import type { Weigher } from './weigher.js';

/** Prefers the host with the least free normalised capacity, so one host fills before the next is used. */
export const packWeigher: Weigher = {
  name: 'pack',
  // 0 - x rather than -x: a -0 score would still sort the same, but reads oddly when debugging.
  weigh: (hosts) => headroom(hosts).map((s) => 0 - s),
};
