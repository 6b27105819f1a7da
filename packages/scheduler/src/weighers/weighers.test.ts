// Unit tests of the weighers: Nova-style min-max normalisation, the exact headroom scores, and the
// ordering properties that make spread and pack useful (more free capacity ranks strictly higher
// under spread and strictly lower under pack, whatever the input order or the hosts' scale).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { host } from '../testing.js';
import type { HostSnapshot } from '../types.js';
import { headroom, normalise } from './headroom.js';
import { packWeigher } from './pack.js';
import { spreadWeigher } from './spread.js';

/** A host with `memUsed` MiB of 65536 and `cpuUsed` of 16 vCPUs (ratio 1) claimed. */
const used = (id: string, memUsed: number, cpuUsed: number): HostSnapshot =>
  host(id, {
    memoryMB: { total: 65536, used: memUsed, ratio: 1 },
    vcpus: { total: 16, used: cpuUsed, ratio: 1 },
  });

/** Host ids from best to worst score (stable for ties). */
const ranked = (hosts: HostSnapshot[], scores: number[]): string[] =>
  hosts
    .map((h, i) => ({ id: h.id, s: scores[i] ?? NaN }))
    .sort((a, b) => b.s - a.s)
    .map((x) => x.id);

describe('normalise', () => {
  it('maps the minimum to 0, the maximum to 1 and the rest linearly; all-equal to 0', () => {
    expect(normalise([2, 4, 6])).toEqual([0, 0.5, 1]);
    expect(normalise([10, -10, 0])).toEqual([1, 0, 0.5]);
    expect(normalise([5, 5])).toEqual([0, 0]);
    expect(normalise([])).toEqual([]);
  });
});

describe('headroom', () => {
  it('adds normalised free memory and free vCPUs, each worth at most 1', () => {
    const best = used('best', 0, 0);
    const worst = used('worst', 65536, 16);
    const middle = used('middle', 32768, 8);
    const memOnly = used('mem-only', 0, 16);
    expect(headroom([best, worst, middle, memOnly])).toEqual([2, 0, 1, 1]);
  });

  it('weighs absolute free amounts, so a bigger host with a smaller free fraction still wins', () => {
    const big = host('big', {
      memoryMB: { total: 262144, used: 196608, ratio: 1 }, // 25 % free = 64 GiB
      vcpus: { total: 64, used: 48, ratio: 1 }, // 16 free
    });
    const small = used('small', 16384, 4); // 75 % free = 48 GiB, 12 free
    expect(headroom([big, small])).toEqual([2, 0]);
  });

  it('counts overcommitted capacity: ratio 4 on 16 vCPUs leaves 60 free after 4 used', () => {
    const overcommitted = host('o', { vcpus: { total: 16, used: 4, ratio: 4 } });
    const plain = host('p', { vcpus: { total: 16, used: 4, ratio: 1 } });
    const [o, p] = headroom([overcommitted, plain]);
    expect(o).toBe(1); // memory is equal on both, so only vCPUs speak
    expect(p).toBe(0);
  });
});

describe('spread and pack', () => {
  const hostsArb = fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 65536 }), fc.integer({ min: 0, max: 16 })), {
      minLength: 2,
      maxLength: 8,
      selector: ([m, c]) => `${m}/${c}`,
    })
    .map((xs) => xs.map(([m, c], i) => used(`h${i}`, m, c)));

  it('spread ranks a host with more free memory and vCPUs strictly above one with less', () => {
    fc.assert(
      fc.property(hostsArb, (hosts) => {
        const s = spreadWeigher.weigh(hosts);
        hosts.forEach((a, i) =>
          hosts.forEach((b, j) => {
            const dominates = a.memoryMB.used <= b.memoryMB.used && a.vcpus.used <= b.vcpus.used && i !== j;
            if (dominates) expect(s[i]).toBeGreaterThan(s[j] ?? Infinity);
          }),
        );
      }),
    );
  });

  it('pack scores are exactly spread scores negated, so pack fills the fullest host first', () => {
    fc.assert(
      fc.property(hostsArb, (hosts) => {
        const spread = spreadWeigher.weigh(hosts);
        const pack = packWeigher.weigh(hosts);
        expect(pack).toEqual(spread.map((x) => 0 - x));
      }),
    );
    const hosts = [used('empty', 0, 0), used('half', 32768, 8), used('full', 61440, 15)];
    expect(ranked(hosts, spreadWeigher.weigh(hosts))).toEqual(['empty', 'half', 'full']);
    expect(ranked(hosts, packWeigher.weigh(hosts))).toEqual(['full', 'half', 'empty']);
  });

  it('scores each host the same whatever the order of the candidates', () => {
    fc.assert(
      fc.property(hostsArb, fc.infiniteStream(fc.nat()), (hosts, rnd) => {
        const shuffled = hosts
          .map((h) => ({ h, k: rnd.next().value }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.h);
        const byId = (hs: HostSnapshot[], scores: number[]) =>
          Object.fromEntries(hs.map((h, i) => [h.id, scores[i]]));
        expect(byId(shuffled, spreadWeigher.weigh(shuffled))).toEqual(
          byId(hosts, spreadWeigher.weigh(hosts)),
        );
      }),
    );
  });

  it('gives one candidate a score without dividing by zero', () => {
    expect(spreadWeigher.weigh([host('only')])).toEqual([0]);
    expect(packWeigher.weigh([host('only')])).toEqual([0]);
  });
});
