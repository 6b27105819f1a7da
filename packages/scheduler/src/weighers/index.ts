// Weighers by name. Pure lookup; no weighing here.
import type { WeigherName } from '../types.js';
import { packWeigher } from './pack.js';
import { spreadWeigher } from './spread.js';
import type { Weigher } from './weigher.js';

export type { Weigher } from './weigher.js';

/** Every weigher, keyed by the name a caller passes to place(). */
export const WEIGHERS: Readonly<Record<WeigherName, Weigher>> = { spread: spreadWeigher, pack: packWeigher };
