// Filter: the host must not be on the request's avoid list. Pure; the caller decides what to avoid.
import type { Filter } from './filter.js';

/** Rejects hosts the caller asked to avoid (a failed spawn there, or an anti-affinity peer). */
export const avoidFilter: Filter = {
  name: 'avoid',
  check: (req, host) => (req.avoidHostIds?.includes(host.id) ? 'host is on the avoid list' : undefined),
};
