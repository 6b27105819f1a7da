// Capacity arithmetic for one Resource; pure, and the single definition the store's SQL guard must mirror.
import type { Resource } from './types.js';

// The store keeps ratios as numeric(6,2) and PostgreSQL floors the exact product, but in doubles
// e.g. 100 × 0.29 is 28.999999999999996. With integer totals and two-decimal ratios an exact product
// is either an integer or at least 0.01 away from one, so nudging by far less than that recovers
// the exact floor. Never more permissive than the CHECK constraint by more than this nudge, and the
// constraint, not this function, is what guarantees no oversubscription.
const NUDGE = 1e-7;

/** Usable capacity after overcommit: `floor(total * ratio)`, as PostgreSQL computes it over numeric. */
export function usable(r: Resource): number {
  return Math.floor(r.total * r.ratio + NUDGE);
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
