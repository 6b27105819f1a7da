// Renders host records for the admin API. Presentation only.
import type { Host } from '@kumo/contract';
import type { HostRecord } from '@kumo/store';
import { hostUriWarnings } from '../../services/host-uri.js';
import { formatJdTime } from './time.js';

/** A host on the admin API, with usable = floor(total × ratio) per resource. */
export function hostView(h: HostRecord): Host {
  const usable = (r: { total: number; ratio: number }) => Math.floor(r.total * r.ratio);
  return {
    hostId: h.id,
    name: h.name,
    uri: h.uri,
    chassis: h.chassis ?? '',
    regionId: h.regionId,
    az: h.az,
    accelerator: h.accelerator,
    enabled: h.enabled,
    health: h.health,
    healthReason: h.healthReason ?? '',
    lastSeenTime: h.lastSeenAt ? formatJdTime(h.lastSeenAt) : '',
    nestedVirt: h.nestedVirt,
    capacity: {
      vcpus: { ...h.vcpus, usable: usable(h.vcpus) },
      memoryMB: { ...h.memoryMB, usable: usable(h.memoryMB) },
      diskGB: { ...h.diskGB, usable: usable(h.diskGB) },
    },
    createTime: formatJdTime(h.createdAt),
    warnings: hostUriWarnings(h.uri),
  };
}
