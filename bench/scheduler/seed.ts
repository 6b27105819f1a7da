// Synthetic fleet and workload: hosts inserted into the store's schema, and the list of requests.
// Deterministic from a seed; writes only to the bench database it is given.
import type { Knex } from 'knex';
import type { PlacementRequest } from '@kumo/scheduler';
import { pick, rng } from './rng.js';

export const REGION = 'bench-1';

// Instance sizes as a cloud would sell them; the average memory ask (7.25 GiB) against the fleet's
// memory below fills hosts to ~95%, so the last placements fight over the last slots.
const TYPES = [
  { vcpus: 1, memoryMB: 1024, diskGB: 20 },
  { vcpus: 2, memoryMB: 4096, diskGB: 40 },
  { vcpus: 4, memoryMB: 8192, diskGB: 80 },
  { vcpus: 8, memoryMB: 16384, diskGB: 160 },
];

/** The AZ names for `n` zones. */
export const azNames = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${REGION}${String.fromCharCode(97 + i)}`);

/** One `hosts` row as the bench inserts it. */
export type HostRow = ReturnType<typeof hostRows>[number];

/** Host rows for `n` hosts over `azs`: mostly x86_64, some aarch64, some disabled or down. */
export function hostRows(n: number, azs: string[], seed = 1) {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const id = `host-${String(i).padStart(5, '0')}`;
    const aarch = r() < 0.1;
    return {
      id,
      name: id,
      uri: `qemu+tcp://${id}/system`,
      region_id: REGION,
      az: azs[i % azs.length]!,
      pool_path: '/var/lib/kumo/pool',
      accelerator: 'kvm',
      enabled: r() >= 0.02,
      health: r() < 0.02 ? 'down' : 'up',
      arch: aarch ? 'aarch64' : 'x86_64',
      nested_virt: r() < 0.5,
      total_vcpus: pick(r, [16, 24, 32]),
      total_memory_mb: pick(r, [65536, 98304]),
      total_disk_gb: pick(r, [1000, 2000]),
      cpu_ratio: '4.00',
      memory_ratio: '1.00',
      disk_ratio: pick(r, ['1.00', '1.50']),
    };
  });
}

/** `n` placement requests spread over `azs` (10% aarch64 images, 10% needing nested virt). */
export function requests(n: number, azs: string[], seed = 2): PlacementRequest[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => ({
    az: pick(r, azs),
    ...pick(r, TYPES),
    arch: r() < 0.1 ? 'aarch64' : 'x86_64',
    nestedVirt: r() < 0.1,
  }));
}

/** Inserts the fleet plus the one account and per-AZ subnets that instance rows point at. */
export async function seed(db: Knex, hosts: HostRow[], azs: string[]): Promise<void> {
  await db('accounts').insert({ id: 'acc-bench', name: 'bench' });
  await db('subnets').insert(
    azs.map((az, i) => ({
      id: `subnet-${az}`,
      vpc_id: 'vpc-bench',
      region_id: REGION,
      az,
      cidr: `10.${i}.0.0/16`,
      gateway: `10.${i}.0.1`,
      prefix: 16,
    })),
  );
  for (let i = 0; i < hosts.length; i += 250) await db('hosts').insert(hosts.slice(i, i + 250));
}
