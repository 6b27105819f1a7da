// Connection- and node-level procedures (versions, hostname, capabilities, node info); no domain or storage calls.
import { Proc } from './numbers.js';
import { ProcedureBase, dec } from './base.js';

/** NODE_GET_INFO result. */
export interface NodeInfo {
  /** CPU model, e.g. "x86_64". */
  model: string;
  /** Memory in KiB. */
  memory: bigint;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

/** Options of CONNECT_GET_DOMAIN_CAPABILITIES; absent fields let libvirt choose. */
export interface DomainCapabilitiesQuery {
  emulatorBin?: string | null;
  arch?: string | null;
  machine?: string | null;
  virtType?: string | null;
  flags?: number;
}

/** Connection and node procedures. */
export abstract class ConnectProcedures extends ProcedureBase {
  /** Hypervisor version as major*1e6 + minor*1e3 + micro (QEMU 7.2.0 → 7002000). */
  async connectGetVersion(): Promise<number> {
    return Number(await this.call(Proc.CONNECT_GET_VERSION, undefined, dec.uhyper));
  }

  /** libvirt version of the daemon, encoded like connectGetVersion. */
  async connectGetLibVersion(): Promise<number> {
    return Number(await this.call(Proc.CONNECT_GET_LIB_VERSION, undefined, dec.uhyper));
  }

  /** Host name of the hypervisor host. */
  connectGetHostname(): Promise<string> {
    return this.call(Proc.CONNECT_GET_HOSTNAME, undefined, dec.string);
  }

  /** The connection URI as the daemon sees it. */
  connectGetUri(): Promise<string> {
    return this.call(Proc.CONNECT_GET_URI, undefined, dec.string);
  }

  /** Capabilities XML of the host. */
  connectGetCapabilities(): Promise<string> {
    return this.call(Proc.CONNECT_GET_CAPABILITIES, undefined, dec.string);
  }

  /** Domain capabilities XML for an emulator/arch/machine/virt type. */
  connectGetDomainCapabilities(q: DomainCapabilitiesQuery = {}): Promise<string> {
    return this.call(
      Proc.CONNECT_GET_DOMAIN_CAPABILITIES,
      (w) => {
        for (const s of [q.emulatorBin, q.arch, q.machine, q.virtType]) w.optional(s, (x, v) => x.string(v));
        w.uint(q.flags ?? 0);
      },
      dec.string,
    );
  }

  /** Whether the daemon supports a feature (see CONNECT_SUPPORTS_FEATURE numbers). */
  connectSupportsFeature(feature: number): Promise<boolean> {
    return this.call(Proc.CONNECT_SUPPORTS_FEATURE, (w) => w.int(feature), dec.bool);
  }

  /** Host CPU and memory summary. */
  nodeGetInfo(): Promise<NodeInfo> {
    return this.call(Proc.NODE_GET_INFO, undefined, (r) => {
      // char model[32] is 32 XDR chars of 4 bytes each; the low byte of each holds the character.
      const chars: number[] = [];
      for (let i = 0; i < 32; i++) chars.push(r.int() & 0xff);
      const end = chars.indexOf(0);
      return {
        model: Buffer.from(end < 0 ? chars : chars.slice(0, end)).toString('latin1'),
        memory: r.uhyper(),
        cpus: r.int(),
        mhz: r.int(),
        nodes: r.int(),
        sockets: r.int(),
        cores: r.int(),
        threads: r.int(),
      };
    });
  }

  /** Free host memory in bytes. */
  nodeGetFreeMemory(): Promise<bigint> {
    return this.call(Proc.NODE_GET_FREE_MEMORY, undefined, dec.uhyper);
  }
}
