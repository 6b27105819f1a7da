// Admin describeInstanceEvents: GET /admin/v1/instances/{instanceId}/events — the action log.
import { formatJdTime } from '../../../services/time.js';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeInstanceEvents',
  method: 'GET',
  path: '/admin/v1/instances/{instanceId}/events',
  admin: true,
  handle: async (ctx) => ({
    events: (await ctx.services.instances.events(ctx.params.instanceId!)).map((a) => ({
      action: a.action,
      requestedBy: a.requestedBy,
      requestId: a.requestId ?? '',
      requestTime: formatJdTime(a.requestedAt),
      outcome: a.outcome,
      detail: a.detail ?? '',
      finishTime: a.finishedAt ? formatJdTime(a.finishedAt) : '',
    })),
  }),
});
