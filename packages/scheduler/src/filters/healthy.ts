// Filter: the host must be reported healthy. Pure; the health check itself lives elsewhere.
import type { Filter } from './filter.js';

/** Rejects hosts whose last health report failed or is stale. */
export const healthyFilter: Filter = {
  name: 'healthy',
  check: (_req, host) => (host.healthy === true ? undefined : 'host is unhealthy'),
};
