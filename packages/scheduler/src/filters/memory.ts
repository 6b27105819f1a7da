// Filter: enough usable (overcommitted) memory must be free. Pure.
import { fits, free, usable } from '../capacity.js';
import type { Filter } from './filter.js';

/** Rejects hosts without `req.memoryMB` MiB free after overcommit. */
export const memoryFilter: Filter = {
  name: 'memory',
  check: (req, host) =>
    fits(host.memoryMB, req.memoryMB)
      ? undefined
      : `needs ${req.memoryMB} MiB, ${free(host.memoryMB)} of ${usable(host.memoryMB)} free`,
};
