// Filter: the host must be in the requested availability zone. Pure; no other checks.
import type { Filter } from './filter.js';

/** Rejects hosts outside the request's AZ. */
export const azFilter: Filter = {
  name: 'az',
  check: (req, host) => (host.az === req.az ? undefined : `host is in ${host.az}, request is for ${req.az}`),
};
