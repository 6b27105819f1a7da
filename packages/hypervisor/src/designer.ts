// The domain designer: turns an instance spec plus the host's profile into a DomainConfig. All policy
// about machine type, buses, CPU model, consoles and boot mode lives here; it performs no I/O.
import type { CpuConfig, DomainConfig } from './xml/domain.js';
import type { InstanceSpec } from './spec.js';

/** Per-host facts and settings the designer needs. */
export interface HostProfile {
  accelerator: 'kvm' | 'qemu';
  /** QEMU machine type; q35 gives PCIe and is what libvirt's own defaults use on x86_64. */
  machine: string;
  /** Address VNC servers listen on (e.g. 127.0.0.1, or a management-network address). */
  vncListen: string;
  /** Directory on the host for serial console logs. */
  consoleLogDir: string;
  /** Virtualization extension to expose for nested guests, from the host CPU vendor. */
  nestedFeature: 'vmx' | 'svm';
}

/** Where the instance's volumes and boot files live on the host, resolved by the Host. */
export interface DomainPaths {
  rootDisk: string;
  seed: string;
  kernel?: string;
  initrd?: string;
}

/** Names the Host chose for the instance's libvirt objects. */
export interface DomainNames {
  domain: string;
  network: string;
  rootVolume: string;
  seedVolume: string;
  /** The libvirt network's name, or the host bridge for bridged networks. */
  nicSource: string;
  nicKind: 'network' | 'bridge';
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

/** Designs the domain for an instance. */
export function designDomain(
  spec: InstanceSpec,
  profile: HostProfile,
  names: DomainNames,
  paths: DomainPaths,
): DomainConfig {
  const direct = spec.image.boot.mode === 'direct';
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
    os: {
      arch: 'x86_64',
      machine: profile.machine,
      bootDevices: direct ? [] : ['hd'],
    },
    features: ['acpi', 'apic'],
    clockOffset: 'utc',
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    disks: [
      {
        path: paths.rootDisk,
        format: 'qcow2',
        target: 'vda',
        bus: 'virtio',
        device: 'disk',
        readOnly: false,
        serial: spec.id,
      },
      // The seed is a virtio disk, not a cdrom: cloud kernels often lack SATA/AHCI drivers.
      { path: paths.seed, format: 'raw', target: 'vdb', bus: 'virtio', device: 'disk', readOnly: true },
    ],
    interfaces: [{ kind: names.nicKind, source: names.nicSource, mac: spec.nic.mac, model: 'virtio' }],
    serials: [{ kind: 'pty', logFile: `${profile.consoleLogDir}/${names.domain}.console.log` }],
    graphics: [
      spec.vncPassword !== undefined
        ? { kind: 'vnc', listen: profile.vncListen, port: 'auto', password: spec.vncPassword }
        : { kind: 'vnc', listen: profile.vncListen, port: 'auto' },
    ],
    rng: true,
    balloon: false,
  };
  if (direct) {
    if (!paths.kernel) throw new Error('direct boot needs a kernel');
    d.os.kernel = paths.kernel;
    if (paths.initrd) d.os.initrd = paths.initrd;
    d.os.cmdline = spec.image.boot.mode === 'direct' ? spec.image.boot.cmdline : '';
  }
  const cpu = designCpu(profile, spec.type.nested === true);
  if (cpu) d.cpu = cpu;
  return d;
}
