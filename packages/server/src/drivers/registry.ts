// The driver registry: factories by name for each plane, the way Incus loads instance drivers.
// The composition root registers the built-in drivers and picks one by name; nothing else
// constructs a driver. It holds factories only, never connections.
import type { HostDriverFactory } from './host-driver.js';
import { connectLibvirtHost } from './libvirt.js';
import { ovn } from '@kumo/network';
import type { NetworkPlaneFactory } from './network-plane.js';
import type { ImageStoreFactory } from './image-store.js';
import { LocalImageStore } from './local-image-store.js';
import { S3ImageStore } from './s3-image-store.js';
import { localBackend, rbdBackend, type StorageBackendFactory } from './storage-backend.js';

/** Factories of one kind, by driver name. */
class Slot<F> {
  private readonly byName = new Map<string, F>();

  constructor(private readonly kind: string) {}

  /** Adds a driver; a name may be registered once. */
  register(name: string, factory: F): void {
    if (this.byName.has(name)) throw new Error(`${this.kind} driver '${name}' is already registered`);
    this.byName.set(name, factory);
  }

  /** The named driver's factory. */
  get(name: string): F {
    const f = this.byName.get(name);
    if (!f) {
      const known = [...this.byName.keys()].join(', ') || 'none';
      throw new Error(`unknown ${this.kind} driver '${name}' (registered: ${known})`);
    }
    return f;
  }

  /** Registered names. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** Every plane's driver factories. */
export class DriverRegistry {
  readonly host = new Slot<HostDriverFactory>('host');
  readonly network = new Slot<NetworkPlaneFactory>('network');
  readonly storage = new Slot<StorageBackendFactory>('storage');
  readonly imageStore = new Slot<ImageStoreFactory>('image store');
}

/**
 * A registry with Kumo's built-in drivers: `libvirt` for hosts, `ovn` for the network plane,
 * `local` and `rbd` storage, `local` and `s3` for the image store.
 */
export function builtinDrivers(): DriverRegistry {
  const r = new DriverRegistry();
  r.host.register('libvirt', connectLibvirtHost);
  r.network.register('ovn', ovn);
  r.imageStore.register('local', (c) => LocalImageStore.open(c.localDir));
  r.imageStore.register('s3', (c) => {
    if (!c.s3) throw new Error('the s3 image store needs its KUMO_IMAGE_S3_* settings');
    return new S3ImageStore(c.s3);
  });
  r.storage.register('local', localBackend);
  r.storage.register('rbd', rbdBackend);
  return r;
}
