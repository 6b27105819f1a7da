// Virtual network and network filter procedures (define, start, update, DHCP leases, XML).
import { readNamed, writeNamed, writeUuid, type Network, type NwFilter } from '../types.js';
import type { XdrWriter } from '../xdr.js';
import { dec } from './base.js';
import { Proc } from './numbers.js';
import { StorageProcedures } from './storage.js';

/** One DHCP lease of a libvirt network. */
export interface DhcpLease {
  iface: string;
  /** Seconds since the epoch. */
  expiryTime: bigint;
  /** 0 IPv4, 1 IPv6. */
  type: number;
  mac: string | null;
  iaid: string | null;
  ipaddr: string;
  prefix: number;
  hostname: string | null;
  clientId: string | null;
}

const netArg = (n: Network | NwFilter) => (w: XdrWriter) => writeNamed(w, n);
const optStr = (w: XdrWriter, s: string | null) => w.optional(s, (x, v) => x.string(v));

/** Network and nwfilter procedures. */
export abstract class NetworkProcedures extends StorageProcedures {
  /** All networks matching ListNetworksFlags (0 = all). */
  connectListAllNetworks(flags = 0): Promise<Network[]> {
    return this.call(
      Proc.CONNECT_LIST_ALL_NETWORKS,
      (w) => w.int(1).uint(flags),
      (r) => {
        const nets = r.array(readNamed, 16384);
        r.uint();
        return nets;
      },
    );
  }

  /** Looks a network up by name; NO_NETWORK if absent. */
  networkLookupByName(name: string): Promise<Network> {
    return this.call(Proc.NETWORK_LOOKUP_BY_NAME, (w) => w.string(name), readNamed);
  }

  /** Looks a network up by UUID. */
  networkLookupByUuid(uuid: string): Promise<Network> {
    return this.call(Proc.NETWORK_LOOKUP_BY_UUID, (w) => writeUuid(w, uuid), readNamed);
  }

  /** Defines a persistent network. */
  networkDefineXml(xml: string): Promise<Network> {
    return this.call(Proc.NETWORK_DEFINE_XML, (w) => w.string(xml), readNamed);
  }

  /** Starts a defined network. */
  networkCreate(net: Network): Promise<void> {
    return this.call(Proc.NETWORK_CREATE, netArg(net));
  }

  /** Stops a network. */
  networkDestroy(net: Network): Promise<void> {
    return this.call(Proc.NETWORK_DESTROY, netArg(net));
  }

  /** Removes a network's definition. */
  networkUndefine(net: Network): Promise<void> {
    return this.call(Proc.NETWORK_UNDEFINE, netArg(net));
  }

  /**
   * Edits part of a network (NetworkUpdateCommand, NetworkUpdateSection, parentIndex -1 = any,
   * NetworkUpdateFlags). Arguments go in the declared order, which libvirt ≥ 1.0 expects.
   */
  networkUpdate(
    net: Network,
    command: number,
    section: number,
    parentIndex: number,
    xml: string,
    flags: number,
  ): Promise<void> {
    return this.call(Proc.NETWORK_UPDATE, (w) => {
      writeNamed(w, net);
      w.uint(command).uint(section).int(parentIndex).string(xml).uint(flags);
    });
  }

  /** Current DHCP leases, optionally only those of one MAC address. */
  networkGetDhcpLeases(net: Network, mac: string | null = null, flags = 0): Promise<DhcpLease[]> {
    return this.call(
      Proc.NETWORK_GET_DHCP_LEASES,
      (w) => {
        writeNamed(w, net);
        optStr(w, mac);
        w.int(1).uint(flags);
      },
      (r) => {
        const leases = r.array(
          (x) => ({
            iface: x.string(),
            expiryTime: x.hyper(),
            type: x.int(),
            mac: x.optional((y) => y.string()),
            iaid: x.optional((y) => y.string()),
            ipaddr: x.string(),
            prefix: x.uint(),
            hostname: x.optional((y) => y.string()),
            clientId: x.optional((y) => y.string()),
          }),
          65536,
        );
        r.uint();
        return leases;
      },
    );
  }

  /** The network XML. */
  networkGetXmlDesc(net: Network, flags = 0): Promise<string> {
    return this.call(
      Proc.NETWORK_GET_XML_DESC,
      (w) => {
        writeNamed(w, net);
        w.uint(flags);
      },
      dec.string,
    );
  }

  /** Sets whether the network starts with libvirtd. */
  networkSetAutostart(net: Network, autostart: boolean): Promise<void> {
    return this.call(Proc.NETWORK_SET_AUTOSTART, (w) => {
      writeNamed(w, net);
      w.int(autostart ? 1 : 0);
    });
  }

  /** Looks a network filter up by name; NO_NWFILTER if absent. */
  nwfilterLookupByName(name: string): Promise<NwFilter> {
    return this.call(Proc.NWFILTER_LOOKUP_BY_NAME, (w) => w.string(name), readNamed);
  }

  /** Defines (or replaces) a network filter. */
  nwfilterDefineXml(xml: string): Promise<NwFilter> {
    return this.call(Proc.NWFILTER_DEFINE_XML, (w) => w.string(xml), readNamed);
  }

  /** Removes a network filter. */
  nwfilterUndefine(filter: NwFilter): Promise<void> {
    return this.call(Proc.NWFILTER_UNDEFINE, netArg(filter));
  }

  /** The network filter XML. */
  nwfilterGetXmlDesc(filter: NwFilter, flags = 0): Promise<string> {
    return this.call(
      Proc.NWFILTER_GET_XML_DESC,
      (w) => {
        writeNamed(w, filter);
        w.uint(flags);
      },
      dec.string,
    );
  }
}
