// Filter: an instance type that needs nested virtualisation only goes to hosts that offer it. Pure.
import type { Filter } from './filter.js';

/** Rejects hosts without nested virtualisation when the request needs it; others pass. */
export const nestedFilter: Filter = {
  name: 'nested',
  check: (req, host) =>
    !req.nestedVirt || host.nestedVirt === true ? undefined : 'no nested virtualisation, request needs it',
};
