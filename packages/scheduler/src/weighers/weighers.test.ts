// Unit tests of the weighers: Nova-style min-max normalisation and spread/pack as mirror images.
import { describe, expect, it } from '@jest/globals';
import { host } from '../testing.js';
import { headroom, normalise } from './headroom.js';
import { packWeigher } from './pack.js';
import { spreadWeigher } from './spread.js';

describe('weighers', () => {
  it('normalises to [0, 1], all-equal to 0', () => {
    expect(normalise([2, 4, 6])).toEqual([0, 0.5, 1]);
    expect(normalise([5, 5])).toEqual([0, 0]);
    expect(normalise([])).toEqual([]);
  });

  it('sums normalised free memory and free vCPUs', () => {
    const a = host('a', {
      memoryMB: { total: 1000, used: 0, ratio: 1 },
      vcpus: { total: 8, used: 8, ratio: 1 },
    });
    const b = host('b', {
      memoryMB: { total: 1000, used: 1000, ratio: 1 },
      vcpus: { total: 8, used: 0, ratio: 1 },
    });
    const c = host('c', {
      memoryMB: { total: 1000, used: 500, ratio: 1 },
      vcpus: { total: 8, used: 4, ratio: 1 },
    });
    expect(headroom([a, b, c])).toEqual([1, 1, 1]);
  });

  it('spread favours free capacity, pack the reverse', () => {
    const empty = host('e');
    const full = host('f', { memoryMB: { total: 65536, used: 60000, ratio: 1 } });
    const [se, sf] = spreadWeigher.weigh([empty, full]);
    const [pe, pf] = packWeigher.weigh([empty, full]);
    expect(se).toBeGreaterThan(sf!);
    expect(pe).toBeLessThan(pf!);
  });
});
