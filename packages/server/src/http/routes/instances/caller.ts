// Helpers shared by instance routes: the account scope and the caller for the action log.
import type { RequestContext } from '../../route.js';

/** The account/region scope of a request. */
export const scopeOf = (ctx: RequestContext<unknown>) => ({
  accountId: ctx.account.id,
  regionId: ctx.regionId,
});

/** Who is asking, for the action log. */
export const callerOf = (ctx: RequestContext<unknown>) => ({
  account: ctx.account,
  accessKey: ctx.accessKey,
  requestId: ctx.requestId,
});
