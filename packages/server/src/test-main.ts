#!/usr/bin/env node
// kumod for tests: the built-in drivers plus the `fake` network plane (KUMO_NETWORK_DRIVER=fake,
// KUMO_OVN_NB=file:/path), and hosts whose URI names a `fake-…` server (qemu+tcp://fake-a/system,
// with KUMO_ALLOW_INSECURE_HOSTS=1) served by in-memory FakeHostDrivers, so API tests can drive
// instance lifecycles without a hypervisor. Production kumod never registers either.
import { builtinDrivers, DriverRegistry } from './drivers/registry.js';
import type { HostDriverFactory } from './drivers/host-driver.js';
import { runKumod } from './run.js';
import { FakeHostDriver } from './testing/fake-host-driver.js';
import { connectFakeNetworkPlane } from './testing/fake-network-plane.js';

const builtin = builtinDrivers();
const drivers = new DriverRegistry();
const fakes = new Map<string, FakeHostDriver>();
const libvirt = builtin.host.get('libvirt');
const host: HostDriverFactory = async (opts) => {
  const server = /^qemu\+tcp:\/\/(fake-[a-z0-9-]+)\//.exec(opts.uri)?.[1];
  if (!server) return libvirt(opts);
  let fake = fakes.get(server);
  if (!fake) fakes.set(server, (fake = new FakeHostDriver(server)));
  return fake;
};
drivers.host.register('libvirt', host);
drivers.network.register('ovn', builtin.network.get('ovn'));
drivers.network.register('fake', connectFakeNetworkPlane);
for (const name of ['local', 's3']) drivers.imageStore.register(name, builtin.imageStore.get(name));
for (const name of ['local', 'rbd']) drivers.storage.register(name, builtin.storage.get(name));
void runKumod(drivers);
