// The shape every weigher has; types only.
import type { HostSnapshot } from '../types.js';

/** Scores candidate hosts; a higher score is a better host. Returns one score per host, in input order. */
export interface Weigher {
  readonly name: string;
  weigh(hosts: readonly HostSnapshot[]): number[];
}
