// The AZ snapshot cache and placeAndClaim's fresh read before a refusal, over an in-memory host
// table standing in for HostsModel (its inZone read and claimRanked's claim-if-it-fits).
import { describe, expect, test } from '@jest/globals';
import type { ClaimSize, HostRecord, HostsModel, Transaction } from '@kumo/store';
import { placeAndClaim } from './placement.js';
import { MAX_AGE_MS, ZoneSnapshots } from './zone-snapshots.js';

const res = (total: number) => ({ total, used: 0, ratio: 1 });
const host = (id: string): HostRecord =>
  ({
    id,
    regionId: 'r',
    az: 'a',
    enabled: true,
    health: 'up',
    arch: 'x86_64',
    nestedVirt: false,
    vcpus: res(8),
    memoryMB: res(8192),
    diskGB: res(100),
  }) as HostRecord;

/** Hosts in memory: reads count, claims succeed only where the current row has room. */
function table(rows: HostRecord[]) {
  const t = {
    rows,
    reads: 0,
    inZone: async () => {
      t.reads++;
      return t.rows.map((h) => structuredClone(h));
    },
    claimRanked: async (_trx: Transaction, _id: string, ranked: readonly string[], size: ClaimSize) => {
      const fits = (h: HostRecord) => h.memoryMB.used + size.memoryMB <= h.memoryMB.total;
      const h = ranked.map((id) => t.rows.find((r) => r.id === id)!).find((x) => x && fits(x));
      if (!h) return undefined;
      h.memoryMB.used += size.memoryMB;
      return h.id;
    },
  };
  return t;
}

const need = {
  regionId: 'r',
  az: 'a',
  vcpus: 1,
  memoryMB: 4096,
  diskGB: 1,
  arch: 'x86_64',
  nestedVirt: false,
};
const trx = undefined as unknown as Transaction;

describe('placeAndClaim with ZoneSnapshots', () => {
  test('one read serves placements for MAX_AGE_MS, ranked with this process’s own claims applied', async () => {
    let now = 0;
    const snaps = new ZoneSnapshots(() => now);
    const t = table([host('h1'), host('h2')]);
    const hosts = t as unknown as HostsModel;
    const got = [];
    for (let i = 0; i < 4; i++)
      got.push((await placeAndClaim(trx, hosts, `i${i}`, need, 'spread', snaps)).hostId);
    // Spread: the own claim makes the other host the emptier one next time, so they alternate.
    expect([got[0] !== got[1], got[2] !== got[3], [...got].sort()]).toEqual([
      true,
      true,
      ['h1', 'h1', 'h2', 'h2'],
    ]);
    expect(t.reads).toBe(1);
    now += MAX_AGE_MS;
    await placeAndClaim(trx, hosts, 'i5', need, 'spread', snaps);
    expect(t.reads).toBe(3); // a new read, then a fresh one before refusing: both hosts are full
  });

  test('a host added or emptied since the cached read is found before a placement is refused', async () => {
    const snaps = new ZoneSnapshots(() => 0);
    const t = table([host('h1')]);
    const hosts = t as unknown as HostsModel;
    await placeAndClaim(trx, hosts, 'i1', need, 'spread', snaps);
    await placeAndClaim(trx, hosts, 'i2', need, 'spread', snaps);
    // h1 is full now; h2 arrives while the cached snapshot still says h1 is the only host.
    t.rows.push(host('h2'));
    expect((await placeAndClaim(trx, hosts, 'i3', need, 'spread', snaps)).hostId).toBe('h2');
    // Another process freed h1: the cached copy still shows it full, the fresh read does not.
    t.rows[0]!.memoryMB.used = 0;
    t.rows[1]!.memoryMB.used = 8192;
    expect((await placeAndClaim(trx, hosts, 'i4', need, 'spread', snaps)).hostId).toBe('h1');
  });

  test('refuses, with the reasons, when no host of the AZ fits even after a fresh read', async () => {
    const t = table([host('h1')]);
    const r = await placeAndClaim(
      trx,
      t as unknown as HostsModel,
      'i1',
      { ...need, memoryMB: 16384 },
      'spread',
    );
    expect(r.hostId).toBeUndefined();
    expect(r).toMatchObject({ rejected: [expect.objectContaining({ hostId: 'h1' })] });
  });
});
