// Domain procedures: list, lookup, define/undefine, lifecycle, state, XML, devices, vcpus/memory, addresses, console.
import { LibvirtStream } from '../stream.js';
import { Program } from '../rpc.js';
import { readDomain, writeDomain, writeUuid, type Domain } from '../types.js';
import type { XdrReader } from '../xdr.js';
import { ConnectProcedures } from './connect.js';
import { dec } from './base.js';
import { Proc } from './numbers.js';

/** DOMAIN_GET_INFO result; memory in KiB, cpuTime in ns. */
export interface DomainInfo {
  state: number;
  maxMem: bigint;
  memory: bigint;
  nrVirtCpu: number;
  cpuTime: bigint;
}

/** DOMAIN_GET_STATE result (see DomainState and the per-state reason enums). */
export interface DomainStateReason {
  state: number;
  reason: number;
}

/** DOMAIN_GET_BLOCK_INFO result, in bytes. */
export interface DomainBlockInfo {
  allocation: bigint;
  capacity: bigint;
  physical: bigint;
}

/** One guest interface as reported by DOMAIN_INTERFACE_ADDRESSES. */
export interface DomainInterface {
  name: string;
  hwaddr: string | null;
  addrs: Array<{ type: number; addr: string; prefix: number }>;
}

const domArg = (d: Domain) => (w: Parameters<typeof writeDomain>[0]) => writeDomain(w, d);
const domFlags = (d: Domain, flags: number) => (w: Parameters<typeof writeDomain>[0]) => {
  writeDomain(w, d);
  w.uint(flags);
};
const readDomains = (r: XdrReader): Domain[] => {
  const doms = r.array(readDomain, 65536);
  r.uint();
  return doms;
};

/** Domain procedures. */
export abstract class DomainProcedures extends ConnectProcedures {
  /** All domains matching `flags` (ListDomainsFlags; 0 = all). */
  connectListAllDomains(flags = 0): Promise<Domain[]> {
    return this.call(Proc.CONNECT_LIST_ALL_DOMAINS, (w) => w.int(1).uint(flags), readDomains);
  }

  /** Looks a domain up by name; NO_DOMAIN if absent. */
  domainLookupByName(name: string): Promise<Domain> {
    return this.call(Proc.DOMAIN_LOOKUP_BY_NAME, (w) => w.string(name), readDomain);
  }

  /** Looks a domain up by UUID string; NO_DOMAIN if absent. */
  domainLookupByUuid(uuid: string): Promise<Domain> {
    return this.call(Proc.DOMAIN_LOOKUP_BY_UUID, (w) => writeUuid(w, uuid), readDomain);
  }

  /** Defines (or redefines, if the XML carries an existing UUID) a persistent domain. */
  domainDefineXml(xml: string): Promise<Domain> {
    return this.call(Proc.DOMAIN_DEFINE_XML, (w) => w.string(xml), readDomain);
  }

  /** Defines a domain with DomainDefineFlags (e.g. VALIDATE). */
  domainDefineXmlFlags(xml: string, flags: number): Promise<Domain> {
    return this.call(Proc.DOMAIN_DEFINE_XML_FLAGS, (w) => w.string(xml).uint(flags), readDomain);
  }

  /** Removes a persistent domain's definition. */
  domainUndefine(dom: Domain): Promise<void> {
    return this.call(Proc.DOMAIN_UNDEFINE, domArg(dom));
  }

  /** Undefines with DomainUndefineFlags (e.g. NVRAM). */
  domainUndefineFlags(dom: Domain, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_UNDEFINE_FLAGS, domFlags(dom, flags));
  }

  /** Starts a defined domain. */
  domainCreate(dom: Domain): Promise<void> {
    return this.call(Proc.DOMAIN_CREATE, domArg(dom));
  }

  /** Starts a defined domain with DomainCreateFlags; returns the handle with its new id. */
  domainCreateWithFlags(dom: Domain, flags = 0): Promise<Domain> {
    return this.call(Proc.DOMAIN_CREATE_WITH_FLAGS, domFlags(dom, flags), readDomain);
  }

  /** Creates and starts a transient domain. */
  domainCreateXml(xml: string, flags = 0): Promise<Domain> {
    return this.call(Proc.DOMAIN_CREATE_XML, (w) => w.string(xml).uint(flags), readDomain);
  }

  /** Asks the guest to shut down (ACPI by default). */
  domainShutdown(dom: Domain): Promise<void> {
    return this.call(Proc.DOMAIN_SHUTDOWN, domArg(dom));
  }

  /** Shuts down with DomainShutdownFlags choosing the method. */
  domainShutdownFlags(dom: Domain, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_SHUTDOWN_FLAGS, domFlags(dom, flags));
  }

  /** Stops a domain at once (power off). */
  domainDestroy(dom: Domain): Promise<void> {
    return this.call(Proc.DOMAIN_DESTROY, domArg(dom));
  }

  /** Destroys with DomainDestroyFlags (e.g. GRACEFUL). */
  domainDestroyFlags(dom: Domain, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_DESTROY_FLAGS, domFlags(dom, flags));
  }

  /** Asks the guest to reboot. */
  domainReboot(dom: Domain, flags = 0): Promise<void> {
    return this.call(Proc.DOMAIN_REBOOT, domFlags(dom, flags));
  }

  /** Resets the guest like a reset button (no guest cooperation). */
  domainReset(dom: Domain, flags = 0): Promise<void> {
    return this.call(Proc.DOMAIN_RESET, domFlags(dom, flags));
  }

  /** Pauses a running domain. */
  domainSuspend(dom: Domain): Promise<void> {
    return this.call(Proc.DOMAIN_SUSPEND, domArg(dom));
  }

  /** Resumes a paused domain. */
  domainResume(dom: Domain): Promise<void> {
    return this.call(Proc.DOMAIN_RESUME, domArg(dom));
  }

  /** Whether the domain is running (or paused). */
  domainIsActive(dom: Domain): Promise<boolean> {
    return this.call(Proc.DOMAIN_IS_ACTIVE, domArg(dom), dec.bool);
  }

  /** Current state and the reason for it. */
  domainGetState(dom: Domain, flags = 0): Promise<DomainStateReason> {
    return this.call(Proc.DOMAIN_GET_STATE, domFlags(dom, flags), (r) => ({
      state: r.int(),
      reason: r.int(),
    }));
  }

  /** State, memory and CPU time. */
  domainGetInfo(dom: Domain): Promise<DomainInfo> {
    return this.call(Proc.DOMAIN_GET_INFO, domArg(dom), (r) => ({
      // state is an unsigned char on the wire: still one 4-byte XDR unit.
      state: r.int(),
      maxMem: r.uhyper(),
      memory: r.uhyper(),
      nrVirtCpu: r.int(),
      cpuTime: r.uhyper(),
    }));
  }

  /** The domain XML (DomainXmlFlags, e.g. INACTIVE for the persistent config). */
  domainGetXmlDesc(dom: Domain, flags = 0): Promise<string> {
    return this.call(Proc.DOMAIN_GET_XML_DESC, domFlags(dom, flags), dec.string);
  }

  /** Hot-plugs and/or persists a device (DomainModificationImpact flags). */
  domainAttachDeviceFlags(dom: Domain, xml: string, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_ATTACH_DEVICE_FLAGS, (w) => {
      writeDomain(w, dom);
      w.string(xml).uint(flags);
    });
  }

  /** Removes a device (DomainModificationImpact flags). */
  domainDetachDeviceFlags(dom: Domain, xml: string, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_DETACH_DEVICE_FLAGS, (w) => {
      writeDomain(w, dom);
      w.string(xml).uint(flags);
    });
  }

  /** Changes a device in place (e.g. media change). */
  domainUpdateDeviceFlags(dom: Domain, xml: string, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_UPDATE_DEVICE_FLAGS, (w) => {
      writeDomain(w, dom);
      w.string(xml).uint(flags);
    });
  }

  /** Sets the vCPU count (VcpuFlags: LIVE, CONFIG, MAXIMUM, GUEST). */
  domainSetVcpusFlags(dom: Domain, nvcpus: number, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_SET_VCPUS_FLAGS, (w) => {
      writeDomain(w, dom);
      w.uint(nvcpus).uint(flags);
    });
  }

  /** Sets memory in KiB (MemoryFlags: LIVE, CONFIG, MAXIMUM). */
  domainSetMemoryFlags(dom: Domain, memoryKiB: bigint | number, flags: number): Promise<void> {
    return this.call(Proc.DOMAIN_SET_MEMORY_FLAGS, (w) => {
      writeDomain(w, dom);
      w.uhyper(memoryKiB).uint(flags);
    });
  }

  /** Guest interface addresses from DHCP leases (source 0), the agent (1) or ARP (2). */
  domainInterfaceAddresses(dom: Domain, source = 0, flags = 0): Promise<DomainInterface[]> {
    return this.call(
      Proc.DOMAIN_INTERFACE_ADDRESSES,
      (w) => {
        writeDomain(w, dom);
        w.uint(source).uint(flags);
      },
      (r) =>
        r.array(
          (x) => ({
            name: x.string(),
            hwaddr: x.optional((y) => y.string()),
            addrs: x.array((y) => ({ type: y.int(), addr: y.string(), prefix: y.uint() }), 2048),
          }),
          2048,
        ),
    );
  }

  /** Size information of a disk given by target ("vda") or source path. */
  domainGetBlockInfo(dom: Domain, path: string, flags = 0): Promise<DomainBlockInfo> {
    return this.call(
      Proc.DOMAIN_GET_BLOCK_INFO,
      (w) => {
        writeDomain(w, dom);
        w.string(path).uint(flags);
      },
      (r) => ({ allocation: r.uhyper(), capacity: r.uhyper(), physical: r.uhyper() }),
    );
  }

  /** Whether the domain starts when libvirtd starts. */
  domainGetAutostart(dom: Domain): Promise<boolean> {
    return this.call(Proc.DOMAIN_GET_AUTOSTART, domArg(dom), dec.bool);
  }

  /** Sets whether the domain starts when libvirtd starts. */
  domainSetAutostart(dom: Domain, autostart: boolean): Promise<void> {
    return this.call(Proc.DOMAIN_SET_AUTOSTART, (w) => {
      writeDomain(w, dom);
      w.int(autostart ? 1 : 0);
    });
  }

  /**
   * Opens the domain's console (devName null = first console) as a Duplex: read guest output,
   * write keystrokes, destroy() to detach. ConsoleFlags: FORCE 1, SAFE 2.
   */
  async domainOpenConsole(dom: Domain, devName: string | null = null, flags = 0): Promise<LibvirtStream> {
    const rpc = this.rpc;
    const stream = new LibvirtStream(rpc, Program.REMOTE, Proc.DOMAIN_OPEN_CONSOLE);
    await rpc.call(
      Program.REMOTE,
      Proc.DOMAIN_OPEN_CONSOLE,
      (w) => {
        writeDomain(w, dom);
        w.optional(devName, (x, v) => x.string(v));
        w.uint(flags);
      },
      undefined,
      (serial) => stream.attach(serial),
    );
    return stream;
  }
}
