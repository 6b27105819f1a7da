// Filter: the host must be enabled by an operator. Pure; health is a separate filter.
import type { Filter } from './filter.js';

/** Rejects hosts an operator has disabled (e.g. for maintenance). */
export const enabledFilter: Filter = {
  name: 'enabled',
  check: (_req, host) => (host.enabled === true ? undefined : 'host is disabled'),
};
