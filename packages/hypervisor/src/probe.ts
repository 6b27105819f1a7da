// Accelerator probe: decides whether a host's KVM can really run guests by booting a one-sector
// probe guest under KVM; it defines only a transient domain and one volume, and removes both.
import { Readable } from 'node:stream';
import { DomainCreateFlags, DomainState, isNotFound, type LibvirtClient } from '@kumo/libvirt';
import { silentLogger, type Logger } from './log.js';
import { designProbeDomain } from './designer.js';
import { domainToXml } from './xml/domain.js';
import { volumeToXml } from './xml/volume.js';

// A boot sector that loads an empty interrupt table and executes int3: the CPU triple-faults at
// once, which resets the machine, and with on_reboot=destroy the domain stops. A working KVM (or
// TCG) gets there within a second of SeaBIOS; a KVM that cannot run guests (e.g. the pagetable-
// based kvm_pvm module) hangs or pauses with an emulation failure instead.
function probeDisk(): Buffer {
  const b = Buffer.alloc(1024 * 1024);
  Buffer.from([0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0x0f, 0x01, 0x1e, 0x0b, 0x7c, 0xcc]).copy(b, 0);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

// How often the probe polls the probe guest's state.
const PROBE_POLL_MS = 200;

/**
 * Returns 'kvm' when libvirt offers KVM and a probe guest boots under it, otherwise 'qemu'. The
 * verdict matters to operators (TCG is ~10x slower), so a fallback is logged as a warning with why.
 */
export async function probeAccelerator(
  lv: LibvirtClient,
  poolName: string,
  prefix: string,
  log: Logger = silentLogger,
  timeoutMs = 10_000,
): Promise<'kvm' | 'qemu'> {
  let caps: string;
  try {
    caps = await lv.connectGetDomainCapabilities({ virtType: 'kvm', arch: 'x86_64' });
  } catch (err) {
    log.warn({ err, libvirt: lv.name }, 'libvirt offers no KVM; guests run under TCG');
    return 'qemu';
  }
  if (!/<domain>kvm<\/domain>/.test(caps)) return 'qemu';
  if (await probeBoots(lv, poolName, prefix, 'kvm', timeoutMs, log)) return 'kvm';
  log.warn(
    { libvirt: lv.name, timeoutMs },
    'KVM probe guest did not reset in time: KVM cannot run guests here; guests run under TCG',
  );
  return 'qemu';
}

/**
 * Boots the probe guest under `virtType` and tells whether it reached its deliberate reset within
 * the timeout. Leaves nothing behind.
 */
export async function probeBoots(
  lv: LibvirtClient,
  poolName: string,
  prefix: string,
  virtType: 'kvm' | 'qemu',
  timeoutMs: number,
  log: Logger = silentLogger,
): Promise<boolean> {
  const pool = await lv.storagePoolLookupByName(poolName);
  const volName = `${prefix}${virtType}-probe.raw`;
  const domName = `${prefix}${virtType}-probe`;
  try {
    await lv
      .storageVolLookupByName(pool, volName)
      .then((v) => lv.storageVolDelete(v))
      .catch(() => undefined);
    const disk = probeDisk();
    const vol = await lv.storageVolCreateXml(
      pool,
      volumeToXml({ name: volName, capacityBytes: disk.length, format: 'raw' }),
    );
    await lv.storageVolUpload(vol, Readable.from([disk]));
    const xml = domainToXml(designProbeDomain(virtType, domName, await lv.storageVolGetPath(vol)));
    const dom = await lv.domainCreateXml(xml, DomainCreateFlags.NONE);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      try {
        const s = await lv.domainGetState(dom);
        if (s.state === DomainState.SHUTOFF) return true;
        if (s.state === DomainState.PAUSED || s.state === DomainState.CRASHED) break;
      } catch (err) {
        if (isNotFound(err)) return true; // transient domain gone: it reset and was destroyed
        throw err;
      }
      await new Promise((r) => setTimeout(r, PROBE_POLL_MS));
    }
    await lv.domainDestroy(dom).catch(() => undefined);
    return false;
  } catch (err) {
    log.warn({ err, libvirt: lv.name, virtType }, 'probe guest failed to start');
    await lv
      .domainLookupByName(domName)
      .then((d) => lv.domainDestroy(d))
      .catch(() => undefined);
    return false;
  } finally {
    await lv
      .storageVolLookupByName(pool, volName)
      .then((v) => lv.storageVolDelete(v))
      .catch(() => undefined);
  }
}
