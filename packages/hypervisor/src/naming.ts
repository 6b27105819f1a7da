// How Kumo names its libvirt objects on a host (domains, volumes, networks, bridges); naming only.
import { createHash } from 'node:crypto';

/** Names derived from one prefix, so test runs (`kumo-hvtest-`) never collide with real objects. */
export class Naming {
  constructor(readonly prefix: string) {}

  /** The libvirt domain of an instance. */
  domain(id: string): string {
    return `${this.prefix}${id}`;
  }

  /** The instance id of a domain name, or undefined when the domain is not ours. */
  instanceId(domainName: string): string | undefined {
    return domainName.startsWith(this.prefix) ? domainName.slice(this.prefix.length) : undefined;
  }

  /** Root overlay volume; `generation` differs per rebuild so the old one survives until success. */
  rootVolume(id: string, generation = ''): string {
    return `${this.prefix}${id}-root${generation ? `-${generation}` : ''}.qcow2`;
  }

  /** Seed volume. */
  seedVolume(id: string, generation = ''): string {
    return `${this.prefix}${id}-seed${generation ? `-${generation}` : ''}.iso`;
  }

  /** A flattened copy of an instance's root disk (createImage), one per `tag`. */
  exportVolume(id: string, tag: string): string {
    return `${this.prefix}${id}-export-${tag}.qcow2`;
  }

  /** The instance id of one of an instance's volumes (root, seed or export), or undefined. */
  volumeInstanceId(volumeName: string): string | undefined {
    if (!volumeName.startsWith(this.prefix)) return undefined;
    const m = /^([a-z]+-[a-z0-9]+)-(root|seed|export)(-[a-z0-9]+)?\.(qcow2|iso)$/.exec(
      volumeName.slice(this.prefix.length),
    );
    return m?.[1];
  }

  /** The serial console log file (written by virtlogd into the pool, read back as a volume). */
  consoleLog(id: string): string {
    return `${this.prefix}${id}-console.log`;
  }

  /** Prefix shared by every volume of an instance. */
  instanceVolumePrefix(id: string): string {
    return `${this.prefix}${id}-`;
  }

  /** One file of a cached image, or its completion marker. */
  imageVolume(imageKey: string, file: 'root' | 'kernel' | 'initrd' | 'ok'): string {
    return `${this.prefix}img-${imageKey}.${file}`;
  }

  /** The libvirt network of a Kumo network. */
  network(name: string): string {
    return `${this.prefix}net-${name}`;
  }

  /** The Kumo network name of a libvirt network, or undefined when it is not ours. */
  networkName(libvirtName: string): string | undefined {
    const p = `${this.prefix}net-`;
    return libvirtName.startsWith(p) ? libvirtName.slice(p.length) : undefined;
  }

  /** A Linux bridge name (at most 15 bytes) for a network, stable for the same libvirt name. */
  bridge(name: string): string {
    return `kv${createHash('sha256').update(this.network(name)).digest('hex').slice(0, 12)}`;
  }
}
