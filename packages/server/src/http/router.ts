// Matches a request path against the route templates, handling JD's colon actions raw or %3A-encoded
// and the trailing '/' JD's SDKs send on collection paths.
import { Errors, serviceOfPath } from '@kumo/contract';
import type { Route } from './route.js';

interface Compiled {
  route: Route;
  segments: string[];
  action: string | undefined;
}

/** A match: the route and its decoded path parameters. */
export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** Route table lookup. */
export class Router {
  private readonly byMethod = new Map<string, Compiled[]>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      const { segments, action } = splitPath(route.path);
      const list = this.byMethod.get(route.method) ?? [];
      list.push({ route, segments, action });
      this.byMethod.set(route.method, list);
    }
  }

  /**
   * Finds the route for a raw (still percent-encoded) path; throws NOT_FOUND when none matches.
   * Where two services' operations share a path, `service` (the signed credential scope's) picks.
   */
  match(method: string, rawPath: string, service?: string): Match {
    let decoded: string[];
    let action: string | undefined;
    try {
      // Decode per segment so an encoded '/' inside a segment can never create a new segment.
      const rawSegments = rawPath.split('/').slice(1);
      decoded = rawSegments.map((s) => decodeURIComponent(s));
      // JD's generated SDKs put a trailing '/' on collection paths (vpc's `subnets/`, `vpcs/`…):
      // the same resource as without it, as JD's gateway routes it.
      if (decoded.length > 1 && decoded[decoded.length - 1] === '') decoded.pop();
      const last = decoded[decoded.length - 1] ?? '';
      const colon = last.indexOf(':');
      if (colon >= 0) {
        action = last.slice(colon + 1);
        decoded[decoded.length - 1] = last.slice(0, colon);
      }
    } catch {
      throw Errors.invalidParameter('path', 'malformed percent-encoding');
    }
    let found: Match | undefined;
    for (const c of this.byMethod.get(method) ?? []) {
      if (c.action !== action || c.segments.length !== decoded.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < c.segments.length && ok; i++) {
        const t = c.segments[i]!;
        const v = decoded[i]!;
        if (t.startsWith('{')) {
          if (v === '') ok = false;
          else params[t.slice(1, -1)] = v;
        } else if (t !== v) ok = false;
      }
      if (!ok) continue;
      if (service === undefined || serviceOf(c.route) === service) return { route: c.route, params };
      found ??= { route: c.route, params };
    }
    if (found) return found;
    throw Errors.unknownPath(method, rawPath.length > 200 ? `${rawPath.slice(0, 200)}…` : rawPath);
  }
}

function splitPath(template: string): { segments: string[]; action: string | undefined } {
  const segments = template.split('/').slice(1);
  const last = segments[segments.length - 1]!;
  const colon = last.indexOf(':');
  if (colon < 0) return { segments, action: undefined };
  segments[segments.length - 1] = last.slice(0, colon);
  return { segments, action: last.slice(colon + 1) };
}

/** The service a route's operation belongs to. */
export function serviceOf(route: Route): string {
  return route.service ?? serviceOfPath(route.path);
}
