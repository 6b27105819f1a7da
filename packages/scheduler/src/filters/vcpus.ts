// Filter: enough usable (overcommitted) vCPUs must be free. Pure.
import { fits, free, usable } from '../capacity.js';
import type { Filter } from './filter.js';

/** Rejects hosts without `req.vcpus` free vCPUs after overcommit. */
export const vcpusFilter: Filter = {
  name: 'vcpus',
  check: (req, host) =>
    fits(host.vcpus, req.vcpus)
      ? undefined
      : `needs ${req.vcpus} vCPUs, ${free(host.vcpus)} of ${usable(host.vcpus)} free`,
};
