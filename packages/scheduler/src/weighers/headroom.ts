// Free memory + vCPU headroom per host, normalised across the candidates as Nova's RAM and CPU weighers do. Pure.
import { free } from '../capacity.js';
import type { HostSnapshot } from '../types.js';

/**
 * Min-max normalises raw values into [0, 1] over the candidate set, like nova.weights.normalize: with
 * every value equal the dimension says nothing, so all get 0 rather than dividing by zero.
 */
export function normalise(raw: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of raw) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return raw.map((v) => (span > 0 ? (v - lo) / span : 0));
}

/**
 * Sum of normalised free memory (MiB) and normalised free vCPUs, each with multiplier 1 — Nova's
 * RAMWeigher and CPUWeigher at their defaults. Absolute free amounts (not fractions) are weighed,
 * so bigger hosts take more, as in Nova.
 */
export function headroom(hosts: readonly HostSnapshot[]): number[] {
  const ram = normalise(hosts.map((h) => free(h.memoryMB)));
  const cpu = normalise(hosts.map((h) => free(h.vcpus)));
  return hosts.map((_, i) => (ram[i] ?? 0) + (cpu[i] ?? 0));
}
