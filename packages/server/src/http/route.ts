// What a route file declares: its JD operation, method, path template and handler.
// Routes parse and validate, then call one service method; policy lives in services.
import type { ErrorName } from '@kumo/contract';
import type { z } from 'zod';
import type { Account } from '@kumo/store';
import type { Services } from '../services/index.js';
import type { DecodedQuery } from './params.js';

/** Everything a handler gets about one authenticated request. */
export interface RequestContext<B> {
  requestId: string;
  account: Account;
  /** The access key that signed the request (for the action log). */
  accessKey: string;
  /** The region from the path (empty for admin routes). */
  regionId: string;
  /** Path parameters by template name, already percent-decoded. */
  params: Record<string, string>;
  query: DecodedQuery;
  body: B;
  services: Services;
}

/** One API operation. */
export interface Route<S extends z.ZodType = z.ZodType> {
  /** JD operation name, also the rate-limit bucket. */
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `/v1/regions/{regionId}/keypairs:import` style template; `{x}` matches one path segment. */
  path: string;
  /**
   * The JD service whose credential scope the operation takes, when its path alone does not tell
   * (vpc's describeQuota shares vm's `/quotas` path; the signed scope picks the route).
   */
  service?: 'vm' | 'vpc' | 'disk';
  /** Only the admin account may call it. */
  admin?: boolean;
  /** Body schema for POST operations, from @kumo/contract (keys match case-insensitively). */
  body?: S;
  /**
   * The catalogue errors this operation itself can return, besides those every request can get
   * (authentication, rate limits, malformed bodies, schema violations): the source of the
   * OpenAPI document's responses, and a checklist for reviewers.
   */
  errors: readonly ErrorName[];
  /** Returns the `result` object, or undefined for operations without one. */
  handle(ctx: RequestContext<z.infer<S>>): Promise<object | undefined>;
}

/** Identity helper that keeps the body type flowing from `body` to `handle`. */
export function defineRoute<S extends z.ZodType>(route: Route<S>): Route<S> {
  return route;
}
