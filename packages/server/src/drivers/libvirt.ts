// The libvirt HostDriver: @kumo/hypervisor's Host, returned as is. Typing the return as
// HostDriver is the compile-time proof that Host satisfies the interface structurally.
import { Host } from '@kumo/hypervisor';
import type { HostConnectOptions, HostDriver } from './host-driver.js';

/** Connects to a libvirt host. */
export async function connectLibvirtHost(opts: HostConnectOptions): Promise<HostDriver> {
  const host: HostDriver = await Host.connect({
    uri: opts.uri,
    pool: opts.pool,
    namePrefix: opts.namePrefix,
    accelerator: opts.accelerator,
    vncListen: opts.vncListen,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.faultInjector ? { faultInjector: opts.faultInjector } : {}),
  });
  return host;
}
