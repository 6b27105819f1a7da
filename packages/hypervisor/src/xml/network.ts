// Object model of the libvirt network and DHCP-host XML Kumo uses; conversion only, no policy.
import { child, children, el, parseXml, toXmlString, type XmlElement } from './tree.js';

/** One DHCP reservation: this MAC always gets this address. */
export interface DhcpHost {
  mac: string;
  ip: string;
  name?: string;
}

/** A libvirt network: NAT with DHCP on a bridge it creates, or a bridge to an existing host bridge. */
export interface NetworkConfig {
  name: string;
  forward: 'nat' | 'bridge' | 'none';
  bridge: string;
  /** Gateway address and prefix; absent for forward=bridge, where the host bridge owns addressing. */
  ip?: { address: string; prefix: number; dhcpRange?: { start: string; end: string }; hosts: DhcpHost[] };
}

/** Renders one DHCP reservation element, as networkUpdate expects it. */
export function dhcpHostToXml(h: DhcpHost): string {
  return toXmlString(el('host', { mac: h.mac, name: h.name, ip: h.ip })).trim();
}

/** Renders a network definition as libvirt network XML. */
export function networkToXml(n: NetworkConfig): string {
  const ip = n.ip;
  const root = el('network', {}, [
    el('name', {}, [], n.name),
    n.forward !== 'none' && el('forward', { mode: n.forward }),
    el('bridge', n.forward === 'bridge' ? { name: n.bridge } : { name: n.bridge, stp: 'on', delay: 0 }),
    ip &&
      el('ip', { address: ip.address, prefix: ip.prefix }, [
        (ip.dhcpRange || ip.hosts.length > 0) &&
          el('dhcp', {}, [
            ip.dhcpRange && el('range', { start: ip.dhcpRange.start, end: ip.dhcpRange.end }),
            ...ip.hosts.map((h) => el('host', { mac: h.mac, name: h.name, ip: h.ip })),
          ]),
      ]),
  ]);
  return toXmlString(root);
}

function prefixOf(e: XmlElement): number {
  if (e.attrs.prefix !== undefined) return Number(e.attrs.prefix);
  const mask = e.attrs.netmask ?? '255.255.255.0';
  return mask
    .split('.')
    .map((o) => Number(o).toString(2).replace(/0/g, '').length)
    .reduce((a, b) => a + b, 0);
}

/** Parses libvirt network XML into the model. */
export function networkFromXml(xml: string): NetworkConfig {
  const root = parseXml(xml);
  const fwd = child(root, 'forward')?.attrs.mode;
  const ipEl = children(root, 'ip').find((i) => (i.attrs.family ?? 'ipv4') === 'ipv4');
  const n: NetworkConfig = {
    name: child(root, 'name')?.text ?? '',
    forward: fwd === 'bridge' ? 'bridge' : fwd === undefined ? 'none' : 'nat',
    bridge: child(root, 'bridge')?.attrs.name ?? '',
  };
  if (ipEl) {
    const dhcp = child(ipEl, 'dhcp');
    const range = child(dhcp, 'range');
    n.ip = {
      address: ipEl.attrs.address ?? '',
      prefix: prefixOf(ipEl),
      hosts: children(dhcp, 'host').map((h) => {
        const host: DhcpHost = { mac: h.attrs.mac ?? '', ip: h.attrs.ip ?? '' };
        if (h.attrs.name !== undefined) host.name = h.attrs.name;
        return host;
      }),
    };
    if (range) n.ip.dhcpRange = { start: range.attrs.start ?? '', end: range.attrs.end ?? '' };
  }
  return n;
}
