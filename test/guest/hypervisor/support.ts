// Shared setup of the hypervisor guest suites: a fixture host with one NAT network for the whole
// file (beforeAll), and everything it made removed afterwards (afterAll). Boots no guest itself.
import type { InstanceSpec } from '@kumo/hypervisor';
import { fixture, subnet, type Fixture } from '../../../packages/hypervisor/test/support.js';

/** A suite's host fixture, its network and NICs on it. */
export interface GuestSuite {
  /** The fixture (set once beforeAll has run). */
  readonly fx: Fixture;
  readonly net: ReturnType<typeof subnet>;
  /** The NIC of the guest at host number `n` of the network (address, MAC, gateway as DNS). */
  nic(n: number): InstanceSpec['nic'];
}

/** Registers the suite's beforeAll/afterAll for fixture `tag` with network `tag` on 10.77.<netIndex>.0/24. */
export function guestSuite(tag: string, netIndex: number): GuestSuite {
  const net = subnet(netIndex, tag);
  let fx: Fixture | undefined;
  beforeAll(async () => {
    fx = await fixture(tag);
    await fx.host.ensureNetwork(net.spec);
  });
  afterAll(async () => {
    if (!fx) return;
    for (const i of await fx.host.list()) await fx.host.destroy(i.id);
    await fx.host.removeNetwork(tag);
    await fx.cleanup();
  });
  return {
    get fx() {
      if (!fx) throw new Error(`guest suite ${tag}: the fixture is made in beforeAll`);
      return fx;
    },
    net,
    nic: (n) => ({
      network: tag,
      mac: net.mac(n),
      ip: net.ip(n),
      prefix: 24,
      gateway: net.gateway,
      dns: [net.gateway],
    }),
  };
}
