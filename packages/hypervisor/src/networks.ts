// The libvirt networks of Kumo subnets on one host and the DHCP reservations of instances on them:
// define/start/remove a network as the designer shapes it, check and reserve an address, drop an
// instance's reservations. Never decides addresses: the control plane hands them out.
import {
  ListNetworksFlags,
  NETWORK_UPDATE_ANY_PARENT,
  NetworkUpdateCommand,
  NetworkUpdateFlags,
  NetworkUpdateSection,
  NetworkXmlFlags,
  isNotFound,
  type Network,
} from '@kumo/libvirt';
import type { HostContext } from './context.js';
import { designNetwork } from './designer.js';
import { HypervisorError } from './errors.js';
import type { NetworkSpec } from './spec.js';
import { dhcpHostToXml, networkFromXml, networkToXml, type DhcpHost } from './xml/network.js';

// Reservations change the running dnsmasq and the persistent definition together, so they survive
// both a network restart and a libvirtd restart.
const LIVE_AND_CONFIG = NetworkUpdateFlags.AFFECT_LIVE | NetworkUpdateFlags.AFFECT_CONFIG;

/** Networks and reservations on one host. */
export class Networks {
  constructor(private readonly ctx: HostContext) {}

  /** Creates (or starts) the libvirt network of a Kumo subnet; idempotent. */
  async ensure(spec: NetworkSpec): Promise<void> {
    const { lv, names } = this.ctx;
    const name = names.network(spec.name);
    await this.ctx.locked(`net:${name}`, () =>
      this.ctx.step('ensure-network', async () => {
        let net: Network;
        try {
          net = await lv.networkLookupByName(name);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          const cfg = designNetwork(spec, { network: name, bridge: names.bridge(spec.name) });
          net = await lv.networkDefineXml(networkToXml(cfg));
        }
        const active = (await lv.connectListAllNetworks(ListNetworksFlags.ACTIVE)).some(
          (n) => n.name === name,
        );
        if (!active) await lv.networkCreate(net);
        await lv.networkSetAutostart(net, true).catch(() => undefined);
      }),
    );
  }

  /** Stops and undefines a Kumo subnet's libvirt network; idempotent. */
  async remove(networkName: string): Promise<void> {
    const { lv, names } = this.ctx;
    await this.ctx.step('remove-network', async () => {
      let net: Network;
      try {
        net = await lv.networkLookupByName(names.network(networkName));
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      await lv.networkDestroy(net).catch(() => undefined);
      await lv.networkUndefine(net);
    });
  }

  /**
   * Checks that `ip` on the network is free for `mac` (read-only and fast): ALREADY_EXISTS when
   * another MAC holds it. True when a reservation still has to be made.
   */
  async checkAddress(networkName: string, mac: string, ip: string): Promise<boolean> {
    const { hosts } = await this.reservations(networkName);
    return hosts !== undefined && needsReservation(hosts, mac, ip);
  }

  /**
   * Reserves `ip` for `mac` under the instance's id (replacing that MAC's old reservation). Returns
   * whether a reservation was added, i.e. whether there is something to undo.
   */
  async reserve(networkName: string, id: string, mac: string, ip: string): Promise<boolean> {
    const { net, hosts } = await this.reservations(networkName);
    if (hosts === undefined || !needsReservation(hosts, mac, ip)) return false;
    const same = hosts.find((h) => h.mac === mac);
    if (same) await this.unreserve(net, same);
    await this.ctx.lv.networkUpdate(
      net,
      NetworkUpdateCommand.ADD_LAST,
      NetworkUpdateSection.IP_DHCP_HOST,
      NETWORK_UPDATE_ANY_PARENT,
      dhcpHostToXml({ mac, ip, name: id }),
      LIVE_AND_CONFIG,
    );
    return true;
  }

  /** Removes every reservation made for instance `id` on any of our networks (found by name = id). */
  async unreserveAll(id: string): Promise<void> {
    const { lv, names } = this.ctx;
    for (const net of await lv.connectListAllNetworks(ListNetworksFlags.ALL)) {
      if (names.networkName(net.name) === undefined) continue;
      const cfg = networkFromXml(await lv.networkGetXmlDesc(net, NetworkXmlFlags.INACTIVE));
      for (const h of cfg.ip?.hosts ?? []) if (h.name === id) await this.unreserve(net, h);
    }
  }

  // The network and its persistent reservations; `hosts` is undefined for a bridge to a host bridge,
  // whose addressing is not ours to hand out.
  private async reservations(networkName: string): Promise<{ net: Network; hosts?: DhcpHost[] }> {
    const { lv, names } = this.ctx;
    const net = await lv.networkLookupByName(names.network(networkName));
    const cfg = networkFromXml(await lv.networkGetXmlDesc(net, NetworkXmlFlags.INACTIVE));
    return cfg.ip ? { net, hosts: cfg.ip.hosts } : { net };
  }

  private async unreserve(net: Network, h: DhcpHost): Promise<void> {
    await this.ctx.lv.networkUpdate(
      net,
      NetworkUpdateCommand.DELETE,
      NetworkUpdateSection.IP_DHCP_HOST,
      NETWORK_UPDATE_ANY_PARENT,
      dhcpHostToXml(h),
      LIVE_AND_CONFIG,
    );
  }
}

/**
 * Whether `mac` still needs a reservation of `ip` among `hosts`: false when it already has exactly
 * that one; ALREADY_EXISTS when another MAC holds the address.
 */
export function needsReservation(hosts: readonly DhcpHost[], mac: string, ip: string): boolean {
  const same = hosts.find((h) => h.mac === mac);
  if (same && same.ip === ip) return false;
  if (hosts.some((h) => h.ip === ip && h.mac !== mac))
    throw new HypervisorError('ALREADY_EXISTS', `address ${ip} is reserved for another MAC`);
  return true;
}
