// Hot-plug of a disk into a domain and out again, in both the running guest and the persistent
// definition (so an attach survives the next stop/start and a cold attach shows at the next
// start), and the online grow of an attached disk. Idempotent by serial (the Kumo disk id).
import {
  BlockResizeFlags,
  DomainAffect,
  DomainXmlFlags,
  isNoDomain,
  type LibvirtClient,
} from '@kumo/libvirt';
import { chooseTarget, diskDeviceXml, domainDisks, type DiskSource } from './disk-xml.js';
import { StorageError } from './errors.js';

/** How long a live detach may take for the guest to let the device go. */
const DETACH_WAIT_MS = 30_000;

async function lookup(lv: LibvirtClient, domain: string) {
  try {
    return await lv.domainLookupByName(domain);
  } catch (err) {
    if (isNoDomain(err)) throw new StorageError('NOT_FOUND', `domain ${domain} does not exist`);
    throw err;
  }
}

async function views(lv: LibvirtClient, d: Awaited<ReturnType<typeof lookup>>) {
  const running = await lv.domainIsActive(d);
  const config = domainDisks(await lv.domainGetXmlDesc(d, DomainXmlFlags.INACTIVE));
  const live = running ? domainDisks(await lv.domainGetXmlDesc(d, 0)) : [];
  return { running, config, live };
}

/** Attaches the disk with `serial`; returns its target (kept when it is attached already). */
export async function attachDisk(
  lv: LibvirtClient,
  domain: string,
  serial: string,
  source: DiskSource,
  deviceName?: string,
): Promise<string> {
  const d = await lookup(lv, domain);
  const { running, config, live } = await views(lv, d);
  const inConfig = config.find((x) => x.serial === serial);
  const inLive = live.find((x) => x.serial === serial);
  let target = inConfig?.target ?? inLive?.target;
  if (!target) {
    try {
      target = chooseTarget(
        [...config, ...live].map((x) => x.target),
        deviceName,
      );
    } catch (err) {
      throw new StorageError('INVALID_ARGUMENT', (err as Error).message);
    }
  }
  const xml = diskDeviceXml({ serial, target, source });
  if (running && !inLive) await lv.domainAttachDeviceFlags(d, xml, DomainAffect.LIVE);
  if (!inConfig) await lv.domainAttachDeviceFlags(d, xml, DomainAffect.CONFIG);
  return target;
}

/** Detaches the disk with `serial` and waits until the running guest released it. */
export async function detachDisk(lv: LibvirtClient, domain: string, serial: string): Promise<void> {
  let d;
  try {
    d = await lookup(lv, domain);
  } catch (err) {
    // A domain that is gone holds no disk.
    if (err instanceof StorageError && err.code === 'NOT_FOUND') return;
    throw err;
  }
  const { running, config, live } = await views(lv, d);
  const inLive = live.find((x) => x.serial === serial);
  if (running && inLive) {
    await lv.domainDetachDeviceFlags(d, inLive.xml, DomainAffect.LIVE);
    // libvirt returns once the guest was asked; the device is gone when QEMU says so.
    const until = Date.now() + DETACH_WAIT_MS;
    for (;;) {
      const now = await views(lv, d);
      if (!now.live.some((x) => x.serial === serial)) break;
      if (Date.now() > until)
        throw new StorageError('FAILED', `the guest of ${domain} did not release disk ${serial}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const inConfig = config.find((x) => x.serial === serial);
  if (inConfig) await lv.domainDetachDeviceFlags(d, inConfig.xml, DomainAffect.CONFIG);
}

/**
 * Grows the disk with `serial` under the running guest (QEMU resizes the image and tells the
 * guest); false when the domain does not run it, so the caller grows the volume offline.
 */
export async function growAttached(
  lv: LibvirtClient,
  domain: string,
  serial: string,
  sizeBytes: number,
): Promise<boolean> {
  let d;
  try {
    d = await lookup(lv, domain);
  } catch (err) {
    if (err instanceof StorageError && err.code === 'NOT_FOUND') return false;
    throw err;
  }
  const { running, live } = await views(lv, d);
  const disk = running ? live.find((x) => x.serial === serial) : undefined;
  if (!disk) return false;
  await lv.domainBlockResize(d, disk.target, sizeBytes, BlockResizeFlags.BYTES);
  return true;
}

/** True when `domain` exists and runs (a guest holds its disks open). */
export async function isRunning(lv: LibvirtClient, domain: string): Promise<boolean> {
  try {
    return await lv.domainIsActive(await lookup(lv, domain));
  } catch (err) {
    if (err instanceof StorageError && err.code === 'NOT_FOUND') return false;
    throw err;
  }
}
