// NICs in libvirt domain XML: on a libvirt network or a host bridge, optionally an Open vSwitch
// port (OVN's br-int) with its offloads off; also the device XML of a NIC hot-plug.
import { child, el, toXmlString, type XmlElement } from './tree.js';

/** A NIC on a libvirt network or a host bridge. */
export interface InterfaceConfig {
  kind: 'network' | 'bridge';
  source: string;
  mac: string;
  model: string;
  /**
   * On an Open vSwitch bridge (OVN's br-int): libvirt adds the tap to the bridge with this
   * `iface-id`, which is the OVN logical switch port the NIC binds to.
   */
  openvswitchInterfaceId?: string;
  /**
   * Turns off the checksum and segmentation offloads virtio negotiates with the host: Open vSwitch's
   * userspace datapath forwards a tap's frames as they are, so a checksum left to offload would
   * reach the other end unfilled and be dropped.
   */
  noOffloads?: boolean;
}

export function interfaceToXml(n: InterfaceConfig): XmlElement {
  return el('interface', { type: n.kind }, [
    el('mac', { address: n.mac }),
    el('source', n.kind === 'network' ? { network: n.source } : { bridge: n.source }),
    ...(n.openvswitchInterfaceId !== undefined
      ? [
          el('virtualport', { type: 'openvswitch' }, [
            el('parameters', { interfaceid: n.openvswitchInterfaceId }),
          ]),
        ]
      : []),
    el('model', { type: n.model }),
    ...(n.noOffloads ? [el('driver', {}, [el('host', OFFLOADS_OFF), el('guest', OFFLOADS_OFF)])] : []),
  ]);
}

const OFFLOADS_OFF = { csum: 'off', tso4: 'off', tso6: 'off', ecn: 'off', ufo: 'off' };

export function interfaceFromXml(e: XmlElement): InterfaceConfig {
  const source = child(e, 'source');
  const kind = e.attrs.type === 'bridge' ? 'bridge' : 'network';
  return {
    kind,
    source: (kind === 'network' ? source?.attrs.network : source?.attrs.bridge) ?? '',
    mac: child(e, 'mac')?.attrs.address ?? '',
    model: child(e, 'model')?.attrs.type ?? 'virtio',
    ...openvswitchPort(child(e, 'virtualport')),
    ...(child(child(e, 'driver'), 'host')?.attrs.csum === 'off' ? { noOffloads: true } : {}),
  };
}

function openvswitchPort(vp: XmlElement | undefined): { openvswitchInterfaceId?: string } {
  const id = vp?.attrs.type === 'openvswitch' ? child(vp, 'parameters')?.attrs.interfaceid : undefined;
  return id !== undefined ? { openvswitchInterfaceId: id } : {};
}

/** One NIC as the device XML of a hot-plug (virDomainAttachDeviceFlags/DetachDeviceFlags). */
export function interfaceDeviceXml(n: InterfaceConfig): string {
  return toXmlString(interfaceToXml(n));
}
