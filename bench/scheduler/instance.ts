// The minimal instance row a claim points at (claims.instance_id references instances.id).
// Synthetic: a unique id, IP and MAC from a counter; no subnet allocator, no other tables.
import type { PlacementRequest } from '@kumo/scheduler';
import { REGION } from './seed.js';

/** Row for the `n`th bench instance in `az` with `req`'s size. */
export function instanceRow(n: number, az: string, req: PlacementRequest) {
  const b = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return {
    id: `i-bench${String(n).padStart(6, '0')}`,
    account_id: 'acc-bench',
    region_id: REGION,
    az,
    name: `bench-${n}`,
    hostname: `bench-${n}`,
    instance_type: `b.${req.vcpus}c${req.memoryMB / 1024}g`,
    vcpus: req.vcpus,
    memory_mb: req.memoryMB,
    nested_virt: req.nestedVirt,
    image_id: 'img-bench',
    status: 'pending',
    subnet_id: `subnet-${az}`,
    vpc_id: 'vpc-bench',
    network_interface_id: `port-bench${n}`,
    private_ip: `10.${b[0]}.${b[1]}.${b[2]}`,
    mac: `fa:16:3e:${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`,
    system_disk_category: 'local',
    system_disk_gb: req.diskGB,
  };
}
