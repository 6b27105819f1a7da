// Typed object model of the libvirt domain XML Kumo uses: converts objects to and from XML and makes
// no decisions (machine type, buses, CPU model and the like are chosen by the designer).
import { interfaceFromXml, interfaceToXml, type InterfaceConfig } from './interface.js';
import { child, childText, children, el, parseXml, toXmlString, type XmlElement } from './tree.js';

export { interfaceDeviceXml, type InterfaceConfig } from './interface.js';

/** XML namespace of the <metadata> element that carries Kumo's own facts about an instance. */
export const KUMO_NS = 'https://kumo.dev/xmlns/instance/1';

/** A disk backed by a file (or a pool volume's path). */
export interface DiskConfig {
  path: string;
  format: 'qcow2' | 'raw';
  target: string;
  bus: 'virtio' | 'sata' | 'scsi' | 'ide';
  device: 'disk' | 'cdrom';
  readOnly: boolean;
  serial?: string;
  cache?: string;
  /**
   * A disk this model does not describe (an RBD image over the network, which the storage plane
   * attaches), kept element for element: a definition read back and written again (a resize) must
   * not lose it.
   */
  raw?: XmlElement;
}

/** A serial port writing to a log file, a PTY, or both (log + pty). */
export interface SerialConfig {
  kind: 'pty' | 'file';
  logFile?: string;
}

/** A graphical console. */
export interface GraphicsConfig {
  kind: 'vnc';
  /** An IP address, or `socket` for a unix socket on the host (see `socket`). */
  listen: string;
  port: number | 'auto';
  /** With `listen: 'socket'`: the socket's path; libvirt picks one in the domain's directory if absent. */
  socket?: string;
  /** In a running domain's live definition: the port libvirt chose for `port: 'auto'`. */
  boundPort?: number;
  password?: string;
}

/** The emulated display adapter (`vga`: the standard VGA the kernel's text console drives). */
export type VideoModel = 'vga' | 'virtio' | 'bochs';

/** CPU configuration; `features` are (policy, name) pairs such as require vmx. */
export interface CpuConfig {
  mode: 'host-passthrough' | 'host-model' | 'custom';
  model?: string;
  features: { policy: 'require' | 'disable' | 'optional'; name: string }[];
}

/** Kumo's facts stored inside the domain, so a host alone tells which instance a domain is. */
export interface KumoMetadata {
  instanceId: string;
  image: string;
  network: string;
  mac: string;
  ip: string;
  rootVolume: string;
  seedVolume: string;
}

/** The operating-system boot block: direct kernel boot when `kernel` is set, else firmware. */
export interface OsConfig {
  arch: string;
  machine: string;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  bootDevices: string[];
}

/** A whole domain definition as Kumo models it. */
export interface DomainConfig {
  type: 'kvm' | 'qemu';
  name: string;
  uuid?: string;
  title?: string;
  metadata?: KumoMetadata;
  memoryKiB: number;
  vcpus: number;
  os: OsConfig;
  features: string[];
  cpu?: CpuConfig;
  clockOffset: 'utc' | 'localtime';
  onPoweroff: string;
  onReboot: string;
  onCrash: string;
  emulator?: string;
  disks: DiskConfig[];
  interfaces: InterfaceConfig[];
  serials: SerialConfig[];
  graphics: GraphicsConfig[];
  video?: VideoModel;
  rng: boolean;
  balloon: boolean;
  /**
   * PCIe root ports to define (libvirt places the domain's own devices on them first): on q35
   * every disk or NIC hot-plugged into a running guest needs a free one, and libvirt on its own
   * leaves at most one spare.
   */
  hotplugPorts?: number;
}

function metadataToXml(m: KumoMetadata): XmlElement {
  const k = (name: string, value: string): XmlElement => el(`kumo:${name}`, {}, [], value);
  return el('metadata', {}, [
    el('kumo:instance', { 'xmlns:kumo': KUMO_NS }, [
      k('id', m.instanceId),
      k('image', m.image),
      k('network', m.network),
      k('mac', m.mac),
      k('ip', m.ip),
      k('root-volume', m.rootVolume),
      k('seed-volume', m.seedVolume),
    ]),
  ]);
}

function metadataFromXml(meta: XmlElement | undefined): KumoMetadata | undefined {
  // The prefix is whatever libvirt kept; match on the namespace-bound element's local name.
  const inst = meta?.children.find((c) => c.name.endsWith(':instance') || c.name === 'instance');
  if (!inst) return undefined;
  const get = (n: string): string =>
    inst.children.find((c) => c.name === n || c.name.endsWith(`:${n}`))?.text ?? '';
  return {
    instanceId: get('id'),
    image: get('image'),
    network: get('network'),
    mac: get('mac'),
    ip: get('ip'),
    rootVolume: get('root-volume'),
    seedVolume: get('seed-volume'),
  };
}

function diskToXml(d: DiskConfig): XmlElement {
  if (d.raw) return d.raw;
  return el('disk', { type: 'file', device: d.device }, [
    el('driver', { name: 'qemu', type: d.format, cache: d.cache }),
    el('source', { file: d.path }),
    el('target', { dev: d.target, bus: d.bus }),
    d.readOnly && el('readonly'),
    d.serial !== undefined && el('serial', {}, [], d.serial),
  ]);
}

function diskFromXml(e: XmlElement): DiskConfig {
  const driver = child(e, 'driver');
  const source = child(e, 'source');
  const target = child(e, 'target');
  const type = e.attrs.type ?? 'file';
  const d: DiskConfig = {
    path: source?.attrs.file ?? source?.attrs.dev ?? '',
    format: driver?.attrs.type === 'raw' ? 'raw' : 'qcow2',
    target: target?.attrs.dev ?? '',
    bus: (target?.attrs.bus ?? 'virtio') as DiskConfig['bus'],
    device: e.attrs.device === 'cdrom' ? 'cdrom' : 'disk',
    readOnly: child(e, 'readonly') !== undefined,
  };
  const serial = childText(e, 'serial');
  if (serial !== undefined) d.serial = serial;
  if (driver?.attrs.cache !== undefined) d.cache = driver.attrs.cache;
  if (type !== 'file') d.raw = e;
  return d;
}

function serialToXml(s: SerialConfig, index: number): XmlElement {
  const log = s.kind === 'pty' && s.logFile ? el('log', { file: s.logFile, append: 'on' }) : undefined;
  const source = s.kind === 'file' ? el('source', { path: s.logFile }) : undefined;
  return el('serial', { type: s.kind }, [source, log, el('target', { port: index })]);
}

function serialFromXml(e: XmlElement): SerialConfig {
  const kind = e.attrs.type === 'file' ? 'file' : 'pty';
  const logFile = kind === 'file' ? child(e, 'source')?.attrs.path : child(e, 'log')?.attrs.file;
  return logFile !== undefined ? { kind, logFile } : { kind };
}

function graphicsToXml(g: GraphicsConfig): XmlElement {
  if (g.listen === 'socket')
    return el('graphics', { type: g.kind, passwd: g.password }, [
      el('listen', { type: 'socket', socket: g.socket }),
    ]);
  return el(
    'graphics',
    {
      type: g.kind,
      port: g.port === 'auto' ? -1 : g.port,
      autoport: g.port === 'auto' ? 'yes' : 'no',
      listen: g.listen,
      passwd: g.password,
    },
    [el('listen', { type: 'address', address: g.listen })],
  );
}

function graphicsFromXml(e: XmlElement): GraphicsConfig {
  const socketListen = children(e, 'listen').find((l) => l.attrs.type === 'socket');
  const socket = socketListen?.attrs.socket ?? e.attrs.socket;
  if (socketListen || e.attrs.socket !== undefined) {
    const g: GraphicsConfig = { kind: 'vnc', listen: 'socket', port: 'auto' };
    if (socket !== undefined) g.socket = socket;
    if (e.attrs.passwd !== undefined) g.password = e.attrs.passwd;
    return g;
  }
  const port = Number(e.attrs.port ?? -1);
  const g: GraphicsConfig = {
    kind: 'vnc',
    listen: e.attrs.listen ?? child(e, 'listen')?.attrs.address ?? '127.0.0.1',
    port: e.attrs.autoport === 'yes' || port < 0 ? 'auto' : port,
  };
  if (e.attrs.passwd !== undefined) g.password = e.attrs.passwd;
  if (g.port === 'auto' && port > 0) g.boundPort = port;
  return g;
}

function osToXml(o: OsConfig): XmlElement {
  return el('os', {}, [
    el('type', { arch: o.arch, machine: o.machine }, [], 'hvm'),
    o.kernel !== undefined && el('kernel', {}, [], o.kernel),
    o.initrd !== undefined && el('initrd', {}, [], o.initrd),
    o.cmdline !== undefined && el('cmdline', {}, [], o.cmdline),
    ...o.bootDevices.map((dev) => el('boot', { dev })),
  ]);
}

function osFromXml(e: XmlElement | undefined): OsConfig {
  const type = child(e, 'type');
  const o: OsConfig = {
    arch: type?.attrs.arch ?? 'x86_64',
    machine: type?.attrs.machine ?? '',
    bootDevices: children(e, 'boot').map((b) => b.attrs.dev ?? ''),
  };
  const kernel = childText(e, 'kernel');
  const initrd = childText(e, 'initrd');
  const cmdline = childText(e, 'cmdline');
  if (kernel !== undefined) o.kernel = kernel;
  if (initrd !== undefined) o.initrd = initrd;
  if (cmdline !== undefined) o.cmdline = cmdline;
  return o;
}

function cpuToXml(c: CpuConfig): XmlElement {
  return el('cpu', { mode: c.mode, check: c.mode === 'custom' ? 'none' : undefined }, [
    c.model !== undefined && el('model', { fallback: 'allow' }, [], c.model),
    ...c.features.map((f) => el('feature', { policy: f.policy, name: f.name })),
  ]);
}

function cpuFromXml(e: XmlElement): CpuConfig {
  const c: CpuConfig = {
    mode: (e.attrs.mode ?? 'custom') as CpuConfig['mode'],
    features: children(e, 'feature').map((f) => ({
      policy: (f.attrs.policy ?? 'require') as CpuConfig['features'][number]['policy'],
      name: f.attrs.name ?? '',
    })),
  };
  const model = childText(e, 'model');
  if (model !== undefined) c.model = model;
  return c;
}

/** Renders a domain definition as libvirt domain XML. */
export function domainToXml(d: DomainConfig): string {
  const devices = el('devices', {}, [
    d.emulator !== undefined && el('emulator', {}, [], d.emulator),
    ...d.disks.map(diskToXml),
    ...d.interfaces.map(interfaceToXml),
    ...d.serials.map(serialToXml),
    d.serials.length > 0 &&
      el('console', { type: d.serials[0]?.kind ?? 'pty' }, [el('target', { type: 'serial', port: 0 })]),
    ...d.graphics.map(graphicsToXml),
    d.video && el('video', {}, [el('model', { type: d.video })]),
    d.rng && el('rng', { model: 'virtio' }, [el('backend', { model: 'random' }, [], '/dev/urandom')]),
    el('memballoon', { model: d.balloon ? 'virtio' : 'none' }),
    // libvirt numbers controllers without an index in order: the root first, so it gets index 0.
    !!d.hotplugPorts && el('controller', { type: 'pci', model: 'pcie-root' }),
    ...Array.from({ length: d.hotplugPorts ?? 0 }, () =>
      el('controller', { type: 'pci', model: 'pcie-root-port' }),
    ),
  ]);
  const root = el('domain', { type: d.type }, [
    el('name', {}, [], d.name),
    d.uuid !== undefined && el('uuid', {}, [], d.uuid),
    d.title !== undefined && el('title', {}, [], d.title),
    d.metadata && metadataToXml(d.metadata),
    el('memory', { unit: 'KiB' }, [], d.memoryKiB),
    el('currentMemory', { unit: 'KiB' }, [], d.memoryKiB),
    el('vcpu', { placement: 'static' }, [], d.vcpus),
    osToXml(d.os),
    el(
      'features',
      {},
      d.features.map((f) => el(f)),
    ),
    d.cpu && cpuToXml(d.cpu),
    el('clock', { offset: d.clockOffset }),
    el('on_poweroff', {}, [], d.onPoweroff),
    el('on_reboot', {}, [], d.onReboot),
    el('on_crash', {}, [], d.onCrash),
    devices,
  ]);
  return toXmlString(root);
}

function unitToKiB(value: string | undefined, unit: string | undefined): number {
  const n = Number(value ?? 0);
  switch ((unit ?? 'KiB').toLowerCase()) {
    case 'b':
    case 'bytes':
      return Math.floor(n / 1024);
    case 'mib':
    case 'm':
      return n * 1024;
    case 'gib':
    case 'g':
      return n * 1024 * 1024;
    default:
      return n;
  }
}

/** Parses libvirt domain XML into the model; elements Kumo does not model are dropped. */
export function domainFromXml(xml: string): DomainConfig {
  const root = parseXml(xml);
  if (root.name !== 'domain') throw new Error(`expected <domain>, got <${root.name}>`);
  const mem = child(root, 'memory');
  const devices = child(root, 'devices');
  const cpu = child(root, 'cpu');
  const d: DomainConfig = {
    type: root.attrs.type === 'kvm' ? 'kvm' : 'qemu',
    name: childText(root, 'name') ?? '',
    memoryKiB: unitToKiB(mem?.text, mem?.attrs.unit),
    vcpus: Number(childText(root, 'vcpu') ?? 1),
    os: osFromXml(child(root, 'os')),
    features: (child(root, 'features')?.children ?? []).map((f) => f.name),
    clockOffset: child(root, 'clock')?.attrs.offset === 'localtime' ? 'localtime' : 'utc',
    onPoweroff: childText(root, 'on_poweroff') ?? 'destroy',
    onReboot: childText(root, 'on_reboot') ?? 'restart',
    onCrash: childText(root, 'on_crash') ?? 'destroy',
    disks: children(devices, 'disk').map(diskFromXml),
    interfaces: children(devices, 'interface').map(interfaceFromXml),
    serials: children(devices, 'serial').map(serialFromXml),
    graphics: children(devices, 'graphics')
      .filter((g) => g.attrs.type === 'vnc')
      .map(graphicsFromXml),
    rng: children(devices, 'rng').length > 0,
    balloon: child(devices, 'memballoon')?.attrs.model === 'virtio',
  };
  const uuid = childText(root, 'uuid');
  const title = childText(root, 'title');
  const emulator = childText(devices, 'emulator');
  const metadata = metadataFromXml(child(root, 'metadata'));
  const video = child(child(devices, 'video'), 'model')?.attrs.type;
  if (video === 'vga' || video === 'virtio' || video === 'bochs') d.video = video;
  // libvirt's own definition also lists the root ports its devices sit on: only a count, as a hint.
  const ports = children(devices, 'controller').filter((c) => c.attrs.model === 'pcie-root-port').length;
  if (ports > 0) d.hotplugPorts = ports;
  if (uuid !== undefined) d.uuid = uuid;
  if (title !== undefined) d.title = title;
  if (emulator !== undefined) d.emulator = emulator;
  if (metadata) d.metadata = metadata;
  if (cpu) d.cpu = cpuFromXml(cpu);
  return d;
}
