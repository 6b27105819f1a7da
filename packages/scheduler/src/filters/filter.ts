// The shape every placement filter has; types only.
import type { HostSnapshot, PlacementRequest } from '../types.js';

/** A named host filter: `check` returns undefined when the host passes, else the reason it does not. */
export interface Filter {
  readonly name: string;
  check(req: PlacementRequest, host: HostSnapshot): string | undefined;
}
