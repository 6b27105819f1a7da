// What one host offers, as libvirt reports it: node info for vCPUs and memory, the pool's figures
// for disk. Reads only; the scheduler decides what fits.
import type { HostContext } from './context.js';
import type { HostCapacity } from './spec.js';
import type { Pool } from './storage/pool.js';

/** vCPUs, memory and pool space of the host, and the accelerator guests run under. */
export async function readCapacity(
  ctx: HostContext,
  pool: Pool,
  accelerator: HostCapacity['accelerator'],
): Promise<HostCapacity> {
  return ctx.step('capacity', async () => {
    const node = await ctx.lv.nodeGetInfo();
    const p = await pool.require();
    // A refresh picks up files changed behind libvirt's back; without it the figures may be stale,
    // which is still better than no answer.
    await ctx.lv.storagePoolRefresh(p).catch(() => undefined);
    const info = await ctx.lv.storagePoolGetInfo(p);
    return {
      vcpus: node.cpus,
      // virNodeInfo.memory is in KiB.
      memoryMiB: Number(node.memory / 1024n),
      poolCapacityBytes: Number(info.capacity),
      poolAvailableBytes: Number(info.available),
      accelerator,
    };
  });
}
