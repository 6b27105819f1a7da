// The designer: every decision about what a guest and the host objects it uses look like — host
// profile defaults, machine type, buses, CPU model, consoles, boot mode, the root overlay, what a
// resize or rebuild changes, the libvirt network of a subnet. Pure: specs and facts in, configs out;
// it performs no I/O, and Host code only applies what it returns.
import { HypervisorError } from './errors.js';
import type { ImageBoot } from './image.js';
import type { InstanceSpec, InstanceType, NetworkSpec, OvnAttachment } from './spec.js';
import type { CpuConfig, DomainConfig, InterfaceConfig, KumoMetadata, OsConfig } from './xml/domain.js';
import type { NetworkConfig } from './xml/network.js';
import type { VolumeConfig } from './xml/volume.js';
import type { XmlElement } from './xml/tree.js';

/**
 * PCIe root ports on q35. libvirt puts the domain's own devices (root and seed disks, NIC, RNG…)
 * on them first; the rest stay free for hot-plug: JD's 8 data disks and a few more NICs.
 */
const HOTPLUG_PORTS = 20;

/** Per-host facts and settings the designer needs. */
export interface HostProfile {
  accelerator: 'kvm' | 'qemu';
  /** QEMU machine type; q35 gives PCIe and is what libvirt's own defaults use on x86_64. */
  machine: string;
  /**
   * Where guests' VNC servers listen: `socket` (a unix socket per domain, reached only through the
   * host connection) or an address (a management-network address, for hosts kumod reaches over
   * TLS or TCP, where it cannot open host sockets; then the guest's VNC password guards it).
   */
  vncListen: string;
  /** Directory on the host for serial console logs. */
  consoleLogDir: string;
  /** Virtualization extension to expose for nested guests, from the host CPU vendor. */
  nestedFeature: 'vmx' | 'svm';
}

/** What an operator may set per host; anything left out gets the designer's default. */
export interface ProfileSettings {
  machine?: string;
  vncListen?: string;
  consoleLogDir?: string;
}

/** Where the instance's volumes and boot files live on the host, resolved by the Host. */
export interface DomainPaths {
  /** The root overlay's path; absent for a cloud root (`cloudRoot`, the storage plane's device). */
  rootDisk?: string;
  /** A cloud root's `<disk>` element, checked to target ROOT_DISK_TARGET. */
  cloudRoot?: XmlElement;
  seed: string;
  kernel?: string;
  initrd?: string;
  /** The serial console log; in the pool, so it can be read back through libvirt from any host. */
  consoleLog?: string;
}

/** Names the Host chose for the instance's libvirt objects. */
export interface DomainNames {
  domain: string;
  /** The Kumo network of the NIC, recorded in the domain's metadata. */
  network: string;
  /** The libvirt network the NIC is plugged into. */
  libvirtNetwork: string;
  rootVolume: string;
  seedVolume: string;
}

/** Guest device of the root disk; the seed is the next one. Rebuild finds the disks by these. */
export const ROOT_DISK_TARGET = 'vda';
/** Guest device of the NoCloud seed disk. */
export const SEED_DISK_TARGET = 'vdb';

/**
 * The profile of a host from what it reported: the accelerator it can run guests under and its
 * capabilities XML (whose CPU vendor decides the nested virtualization extension), plus settings.
 */
export function designProfile(
  accelerator: HostProfile['accelerator'],
  capabilitiesXml: string,
  settings: ProfileSettings = {},
): HostProfile {
  return {
    accelerator,
    machine: settings.machine ?? 'q35',
    // A unix socket unless told otherwise: nothing but the host connection reaches it.
    vncListen: settings.vncListen ?? 'socket',
    consoleLogDir: settings.consoleLogDir ?? '/var/log/libvirt/qemu',
    nestedFeature: /<vendor>AMD<\/vendor>/.test(capabilitiesXml) ? 'svm' : 'vmx',
  };
}

/** The CPU element for an instance type on this host (none: the hypervisor default). */
export function designCpu(profile: HostProfile, nested: boolean): CpuConfig | undefined {
  const features: CpuConfig['features'] = nested ? [{ policy: 'require', name: profile.nestedFeature }] : [];
  if (profile.accelerator === 'kvm') {
    // The guest sees the host CPU; this also carries vmx/svm through for nested virtualization.
    return { mode: 'host-passthrough', features };
  }
  // Under TCG host-passthrough is meaningless; qemu64 is the portable baseline. Only svm is emulated
  // by TCG, so nested under TCG asks for it whatever the host vendor.
  if (!nested) return undefined;
  return { mode: 'custom', model: 'qemu64', features: [{ policy: 'require', name: 'svm' }] };
}

// The boot block for an image: direct kernel boot with Kumo's kernel, initrd and command line, or the
// image's own bootloader from the root disk. `base` carries the architecture and machine type.
function designOs(base: Pick<OsConfig, 'arch' | 'machine'>, boot: ImageBoot, paths: DomainPaths): OsConfig {
  if (boot.mode === 'firmware') return { arch: base.arch, machine: base.machine, bootDevices: ['hd'] };
  if (!paths.kernel) throw new HypervisorError('IMAGE_NOT_FOUND', 'direct boot needs the image kernel');
  return {
    arch: base.arch,
    machine: base.machine,
    kernel: paths.kernel,
    ...(paths.initrd ? { initrd: paths.initrd } : {}),
    cmdline: boot.cmdline,
    bootDevices: [],
  };
}

/** Designs the domain for an instance. */
export function designDomain(
  spec: InstanceSpec,
  profile: HostProfile,
  names: DomainNames,
  paths: DomainPaths,
): DomainConfig {
  const d: DomainConfig = {
    type: profile.accelerator,
    name: names.domain,
    title: `${spec.hostname} (${spec.id})`,
    metadata: {
      instanceId: spec.id,
      image: spec.image.name,
      network: names.network,
      mac: spec.nic.mac,
      ip: spec.nic.ip,
      rootVolume: names.rootVolume,
      seedVolume: names.seedVolume,
    },
    memoryKiB: spec.type.memoryMiB * 1024,
    vcpus: spec.type.vcpus,
    os: designOs({ arch: 'x86_64', machine: profile.machine }, spec.image.boot, paths),
    features: ['acpi', 'apic'],
    clockOffset: 'utc',
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    disks: [
      ...(paths.rootDisk !== undefined
        ? [
            {
              path: paths.rootDisk,
              format: 'qcow2' as const,
              target: ROOT_DISK_TARGET,
              bus: 'virtio' as const,
              device: 'disk' as const,
              readOnly: false,
              serial: spec.id,
            },
          ]
        : paths.cloudRoot
          ? [
              {
                path: '',
                format: 'raw' as const,
                target: ROOT_DISK_TARGET,
                bus: 'virtio' as const,
                device: 'disk' as const,
                readOnly: false,
                raw: paths.cloudRoot,
              },
            ]
          : []),
      // The seed is a virtio disk, not a cdrom: cloud kernels often lack SATA/AHCI drivers.
      {
        path: paths.seed,
        format: 'raw',
        target: SEED_DISK_TARGET,
        bus: 'virtio',
        device: 'disk',
        readOnly: true,
      },
    ],
    interfaces: [designNic(spec.nic, names.libvirtNetwork)],
    serials: [
      { kind: 'pty', logFile: paths.consoleLog ?? `${profile.consoleLogDir}/${names.domain}.console.log` },
    ],
    // On a socket the host connection is the guard (no password kumod would have to answer); on an
    // address the VNC password is.
    graphics: [
      spec.vncPassword !== undefined && profile.vncListen !== 'socket'
        ? { kind: 'vnc', listen: profile.vncListen, port: 'auto', password: spec.vncPassword }
        : { kind: 'vnc', listen: profile.vncListen, port: 'auto' },
    ],
    // The standard VGA: the kernel's text console (console=tty0) and a getty show on it under any
    // firmware, with no guest driver.
    video: 'vga',
    rng: true,
    balloon: false,
    // JD's eight data disks and an instance type's extra NICs, hot-plugged into a running guest.
    ...(profile.machine === 'q35' ? { hotplugPorts: HOTPLUG_PORTS } : {}),
  };
  const cpu = designCpu(profile, spec.type.nested === true);
  if (cpu) d.cpu = cpu;
  return d;
}

/** A NIC on OVN's integration bridge when the spec says so, else on the subnet's libvirt network. */
export function designNic(
  nic: { mac: string; ovn?: OvnAttachment | undefined },
  libvirtNetwork: string,
): InterfaceConfig {
  if (nic.ovn) {
    if (!UUID.test(nic.ovn.interfaceId) || !BRIDGE.test(nic.ovn.bridge))
      throw new HypervisorError('INVALID_ARGUMENT', 'OVN interface id must be a UUID on a valid bridge name');
    return {
      kind: 'bridge',
      source: nic.ovn.bridge,
      mac: nic.mac,
      model: 'virtio',
      openvswitchInterfaceId: nic.ovn.interfaceId,
      // OVN on these hosts may run the userspace datapath (no kernel module): no offloads there.
      noOffloads: true,
    };
  }
  return { kind: 'network', source: libvirtNetwork, mac: nic.mac, model: 'virtio' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Linux interface names: at most 15 characters, no slash or whitespace.
const BRIDGE = /^[A-Za-z0-9_.-]{1,15}$/;

/** Refuses a spec whose root disk is smaller than its image needs. */
export function checkRootDisk(spec: InstanceSpec): void {
  if (spec.rootDiskBytes < spec.image.minDiskBytes)
    throw new HypervisorError(
      'INVALID_ARGUMENT',
      `root disk smaller than the image's ${spec.image.minDiskBytes} bytes`,
      'validate',
    );
}

/**
 * The accelerator probe's transient guest: 32 MiB, one vCPU, the probe disk on IDE under the legacy
 * `pc` machine (SeaBIOS boots it without any driver), no devices beyond it, and every exit — reset
 * included — destroying the domain, so "the domain is gone" means "the guest ran to its reset".
 */
export function designProbeDomain(virtType: 'kvm' | 'qemu', name: string, diskPath: string): DomainConfig {
  return {
    type: virtType,
    name,
    memoryKiB: 32 * 1024,
    vcpus: 1,
    os: { arch: 'x86_64', machine: 'pc', bootDevices: ['hd'] },
    features: [],
    clockOffset: 'utc',
    onPoweroff: 'destroy',
    onReboot: 'destroy',
    onCrash: 'destroy',
    disks: [{ path: diskPath, format: 'raw', target: 'hda', bus: 'ide', device: 'disk', readOnly: false }],
    interfaces: [],
    serials: [],
    graphics: [],
    rng: false,
    balloon: false,
  };
}

/** The root volume of an instance: a thin qcow2 overlay on the image's base, so a boot is O(1). */
export function designRootVolume(name: string, basePath: string, bytes: number): VolumeConfig {
  return { name, capacityBytes: bytes, format: 'qcow2', backing: { path: basePath, format: 'qcow2' } };
}

/** A stopped instance's definition with new vCPUs, memory and CPU element; everything else kept. */
export function designResize(cfg: DomainConfig, profile: HostProfile, type: InstanceType): DomainConfig {
  const next = structuredClone(cfg);
  next.vcpus = type.vcpus;
  next.memoryKiB = type.memoryMiB * 1024;
  const cpu = designCpu(profile, type.nested === true);
  if (cpu) next.cpu = cpu;
  else delete next.cpu;
  return next;
}

/**
 * The Kumo metadata of an instance about to be rebuilt from `spec`. A rebuild keeps the instance's
 * network identity, so a spec with another MAC, IP or network is refused, as is a domain Kumo did
 * not define (no metadata).
 */
export function rebuildIdentity(cfg: DomainConfig, spec: InstanceSpec): KumoMetadata {
  const meta = cfg.metadata;
  if (!meta) throw new HypervisorError('INVALID_STATE', `instance ${spec.id} has no Kumo metadata`);
  // The subnet may differ: an instance moved from the NAT era onto the network plane keeps its MAC
  // and address in a subnet of its own account.
  if (meta.mac !== spec.nic.mac || meta.ip !== spec.nic.ip)
    throw new HypervisorError('INVALID_ARGUMENT', 'rebuild keeps the network identity (MAC and IP)');
  return meta;
}

/**
 * Size of the new root disk of a rebuild: the size the instance has now (which may be larger than the
 * spec asks, after an operator grew it), or the spec's when its old root volume is already gone.
 */
export function rebuildRootBytes(currentBytes: number | undefined, spec: InstanceSpec): number {
  return currentBytes ?? spec.rootDiskBytes;
}

/**
 * The definition after rebuilding an instance from `spec.image` onto new root and seed volumes:
 * same domain, hardware and NIC; new disk paths, metadata and boot block.
 */
export function designRebuild(
  old: DomainConfig,
  spec: InstanceSpec,
  volumes: { rootVolume: string; seedVolume: string },
  paths: DomainPaths,
): DomainConfig {
  const meta = rebuildIdentity(old, spec);
  const cfg = structuredClone(old);
  const root = cfg.disks.find((x) => x.target === ROOT_DISK_TARGET);
  const seed = cfg.disks.find((x) => x.target === SEED_DISK_TARGET);
  if (!root || !seed) throw new HypervisorError('INVALID_STATE', `instance ${spec.id} lacks its disks`);
  // A cloud root (the storage plane's device) stays as it is: its storage made it again.
  if (spec.cloudRoot) {
    if (!root.raw) throw new HypervisorError('INVALID_STATE', `instance ${spec.id} has no cloud root disk`);
  } else {
    if (root.raw || paths.rootDisk === undefined)
      throw new HypervisorError(
        'INVALID_STATE',
        `the root disk of instance ${spec.id} is a cloud disk: its storage rebuilds it, not the host`,
      );
    root.path = paths.rootDisk;
  }
  seed.path = paths.seed;
  cfg.metadata = { ...meta, network: spec.nic.network, image: spec.image.name, ...volumes };
  // The machine type stays what the instance was created with, even if the host's default changed.
  cfg.os = designOs(old.os, spec.image.boot, paths);
  return cfg;
}

/**
 * The libvirt network of a Kumo subnet: NAT on a bridge of its own with the gateway and DHCP range of
 * the spec, or forwarding to an existing host bridge, whose owner hands out the addresses.
 */
export function designNetwork(spec: NetworkSpec, names: { network: string; bridge: string }): NetworkConfig {
  if (spec.mode === 'bridge') {
    if (!spec.hostBridge) throw new HypervisorError('INVALID_ARGUMENT', 'bridge networks need hostBridge');
    return { name: names.network, forward: 'bridge', bridge: spec.hostBridge };
  }
  if (!spec.gateway || !spec.prefix)
    throw new HypervisorError('INVALID_ARGUMENT', 'NAT networks need gateway and prefix');
  return {
    name: names.network,
    forward: 'nat',
    bridge: names.bridge,
    ip: {
      address: spec.gateway,
      prefix: spec.prefix,
      hosts: [],
      ...(spec.dhcpRange ? { dhcpRange: spec.dhcpRange } : {}),
    },
  };
}
