// Disk device XML for hot-plug (a file in a dir pool, or an RBD image over the network with a
// cephx secret), with the Kumo disk id as the virtio serial so the guest finds it under
// /dev/disk/by-id/virtio-<id>; and the reading of a domain's disks back (target ↔ serial). Pure.

/** Where an attached disk's bytes are. */
export type DiskSource =
  | { kind: 'file'; path: string; format: 'qcow2' | 'raw' }
  | {
      kind: 'rbd';
      /** `cephPool/image`. */
      image: string;
      monitors: readonly { host: string; port: number }[];
      user: string;
      /** The usage name of the libvirt secret holding the user's key. */
      secretUsage: string;
    };

/** One disk device of a domain. */
export interface DiskDevice {
  serial: string;
  /** Guest target, e.g. `vdb`. */
  target: string;
  source: DiskSource;
}

/** Ids, paths, names and hosts that reach XML are checked rather than escaped: none needs more. */
const SAFE = /^[A-Za-z0-9._/:@+-]+$/;
function safe(what: string, v: string): string {
  if (!SAFE.test(v)) throw new Error(`${what} ${JSON.stringify(v)} has characters a disk XML cannot take`);
  return v;
}

/** The `<disk>` element of a device. */
export function diskDeviceXml(d: DiskDevice): string {
  const target = `<target dev='${safe('target', d.target)}' bus='virtio'/>`;
  const serial = `<serial>${safe('serial', d.serial)}</serial>`;
  const s = d.source;
  if (s.kind === 'file') {
    return (
      `<disk type='file' device='disk'><driver name='qemu' type='${s.format}' cache='none' discard='unmap'/>` +
      `<source file='${safe('path', s.path)}'/>${target}${serial}</disk>`
    );
  }
  const hosts = s.monitors.map((m) => `<host name='${safe('monitor', m.host)}' port='${m.port}'/>`).join('');
  return (
    `<disk type='network' device='disk'><driver name='qemu' type='raw' cache='none' discard='unmap'/>` +
    `<auth username='${safe('user', s.user)}'><secret type='ceph' usage='${safe('secret usage', s.secretUsage)}'/></auth>` +
    `<source protocol='rbd' name='${safe('image', s.image)}'>${hosts}</source>${target}${serial}</disk>`
  );
}

/** Target and serial of every disk of a domain's XML, in document order. */
export function domainDisks(domainXml: string): { target: string; serial?: string; xml: string }[] {
  const out: { target: string; serial?: string; xml: string }[] = [];
  for (const m of domainXml.matchAll(/<disk\b[\s\S]*?<\/disk>/g)) {
    const xml = m[0];
    const target = /<target\b[^>]*\bdev=['"]([^'"]+)['"]/.exec(xml)?.[1];
    if (!target) continue;
    const serial = /<serial>([^<]*)<\/serial>/.exec(xml)?.[1];
    out.push({ target, xml, ...(serial !== undefined ? { serial } : {}) });
  }
  return out;
}

/**
 * The target a new disk gets: `wanted` when free (refused when taken by another disk), otherwise
 * the first free `vdX` after the root disk `vda`. JD names devices `vdb`…`vdi` (8 data disks).
 */
export function chooseTarget(taken: readonly string[], wanted?: string): string {
  if (wanted) {
    // `vda` is asked for a cloud root disk only (the control plane checks users' device names).
    if (!/^vd[a-z]$/.test(wanted)) throw new Error(`device name ${wanted} is not one of vda…vdz`);
    if (taken.includes(wanted)) throw new Error(`device name ${wanted} is in use`);
    return wanted;
  }
  for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const t = `vd${String.fromCharCode(c)}`;
    if (!taken.includes(t)) return t;
  }
  throw new Error('no free virtio disk target');
}
