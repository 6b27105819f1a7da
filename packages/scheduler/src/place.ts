// place(): filter hosts, weigh the survivors, pick the best. Pure and deterministic; claims nothing itself.
import { FILTERS } from './filters/index.js';
import type { HostSnapshot, Placement, PlacementRequest, Rejection, WeigherName } from './types.js';
import { WEIGHERS } from './weighers/index.js';

// Plain code-unit comparison, not localeCompare: the order must not depend on the process locale.
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function checkRequest(req: PlacementRequest): void {
  for (const key of ['vcpus', 'memoryMB', 'diskGB'] as const) {
    const v = req[key];
    // A negative size would pass every capacity filter and later *free* capacity when claimed.
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`placement request ${key} must be ≥ 0, got ${v}`);
  }
}

function checkUniqueIds(hosts: readonly HostSnapshot[]): void {
  const seen = new Set<string>();
  for (const h of hosts) {
    // Two snapshots of one host would make the answer depend on input order.
    if (seen.has(h.id)) throw new RangeError(`host ${h.id} appears twice in the snapshot list`);
    seen.add(h.id);
  }
}

/**
 * Chooses a host for `req`: every host either passes all filters (and is ranked by the weigher, best
 * first, ties broken by id) or gets one Rejection naming the first filter it failed. The result
 * depends only on the inputs' content, never their order. Throws RangeError on a negative or
 * non-finite request size, or duplicate host ids.
 */
export function place(
  req: PlacementRequest,
  hosts: readonly HostSnapshot[],
  opts?: { weigher?: WeigherName },
): Placement {
  checkRequest(req);
  checkUniqueIds(hosts);
  const weigher = WEIGHERS[opts?.weigher ?? 'spread'];
  if (!weigher) throw new RangeError(`unknown weigher ${String(opts?.weigher)}`);

  // Sorting by id first makes rejections, and the floating-point sums inside weighers, order-independent.
  const sorted = [...hosts].sort((a, b) => byId(a.id, b.id));
  const passing: HostSnapshot[] = [];
  const rejected: Rejection[] = [];
  for (const host of sorted) {
    let rejection: Rejection | undefined;
    for (const f of FILTERS) {
      const reason = f.check(req, host);
      if (reason !== undefined) {
        rejection = { hostId: host.id, filter: f.name, reason };
        break;
      }
    }
    if (rejection) rejected.push(rejection);
    else passing.push(host);
  }

  const scores = weigher.weigh(passing);
  // A NaN score (e.g. an infinite total) ranks last instead of making the sort order input-dependent.
  const order = passing.map((h, i) => {
    const score = scores[i] ?? 0;
    return { id: h.id, score: Number.isNaN(score) ? -Infinity : score };
  });
  order.sort((a, b) => (a.score === b.score ? byId(a.id, b.id) : b.score - a.score));
  const ranked = order.map((o) => o.id);
  return { hostId: ranked[0], ranked, rejected };
}
