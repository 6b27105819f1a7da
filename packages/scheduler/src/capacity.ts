// Capacity arithmetic for one Resource; pure, and the single definition the store's SQL guard must mirror.
import type { Resource } from './types.js';

/**
 * Usable capacity after overcommit: `floor(total * ratio)`. Computed in IEEE doubles, exactly like
 * `floor(total * ratio)` over `double precision` columns in PostgreSQL, so scheduler and CHECK agree.
 */
export function usable(r: Resource): number {
  return Math.floor(r.total * r.ratio);
}

/** Usable capacity not yet claimed; negative when a host is already over (e.g. its ratio was lowered). */
export function free(r: Resource): number {
  return usable(r) - r.used;
}

/**
 * Whether `need` more fits. Written so NaN anywhere (a malformed snapshot) answers false: an unknown
 * host is rejected rather than chosen.
 */
export function fits(r: Resource, need: number): boolean {
  return need <= free(r);
}
