// The ordered filter chain. Order decides which reason a host gets: static facts first, capacity last.
import { archFilter } from './arch.js';
import { avoidFilter } from './avoid.js';
import { azFilter } from './az.js';
import { diskFilter } from './disk.js';
import { enabledFilter } from './enabled.js';
import type { Filter } from './filter.js';
import { healthyFilter } from './healthy.js';
import { memoryFilter } from './memory.js';
import { nestedFilter } from './nested.js';
import { vcpusFilter } from './vcpus.js';

export type { Filter } from './filter.js';

/** Every filter, in the order they are applied; a host's rejection names the first it fails. */
export const FILTERS: readonly Filter[] = [
  azFilter,
  enabledFilter,
  healthyFilter,
  avoidFilter,
  archFilter,
  nestedFilter,
  vcpusFilter,
  memoryFilter,
  diskFilter,
];
