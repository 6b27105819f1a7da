// Filter: enough usable (overcommitted) disk must be free in the host's pool. Pure.
import { fits, free, usable } from '../capacity.js';
import type { Filter } from './filter.js';

/** Rejects hosts without `req.diskGB` GiB free after overcommit. */
export const diskFilter: Filter = {
  name: 'disk',
  check: (req, host) =>
    fits(host.diskGB, req.diskGB)
      ? undefined
      : `needs ${req.diskGB} GiB, ${free(host.diskGB)} of ${usable(host.diskGB)} free`,
};
