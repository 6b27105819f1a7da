// The image services' part of the composition root: the registry (admin imports, prepull), sharing
// and copies, createImage, importImage and exportImage, over the image models and the store. Built by
// createWiring, which hands the registry to the instance service and all four to the routes.
import type {
  ImagesModel,
  ImageSharesModel,
  HostsModel,
  InstanceActionsModel,
  InstancesModel,
  InstanceTasksModel,
  TaskName,
  Transactions,
} from '@kumo/store';
import type { HostAccess } from './compute/host-registry.js';
import { removeUnnamedBases } from './compute/image-bases.js';
import type { Config } from './config.js';
import type { ImageStore } from './drivers/image-store.js';
import type { Logger } from './logger.js';
import { ImageCreationService } from './services/image-creation.js';
import { ImageExportService } from './services/image-export.js';
import { ImageImportService } from './services/image-import.js';
import { ImageSharingService } from './services/image-sharing.js';
import { ImageService } from './services/images.js';
import type { Workers } from './workers.js';

/** What the image services are built from. */
export interface ImageServicesDeps {
  config: Config;
  tx: Transactions;
  images: ImagesModel;
  shares: ImageSharesModel;
  hosts: HostsModel;
  registry: HostAccess;
  store: ImageStore;
  instances: InstancesModel;
  leases: InstanceTasksModel;
  actions: InstanceActionsModel;
  workers: Workers;
  log: Logger;
  enqueue(instanceId: string, task: TaskName): Promise<void>;
  /** Private images per account and region (the quota service's `image` limit). */
  imageQuota(): number;
}

/** The image services. */
export function buildImageServices(d: ImageServicesDeps) {
  const { config, tx, images } = d;
  // Every backend of the region sweeps on its own: a Ceph that does not answer keeps its bases
  // (the next sweep there removes them) and does not stop the others.
  const forgetBases = async (regionId: string): Promise<void> => {
    for (const rec of await d.workers.backends.list()) {
      if (rec.regionId !== regionId) continue;
      await removeUnnamedBases(
        d.workers.storageRegistry.backend(rec),
        (k) => images.namesObject(k),
        d.log,
      ).catch((err: unknown) => d.log.warn({ err, backend: rec.id }, 'image bases not swept'));
    }
  };
  const imageService = new ImageService(
    images,
    d.hosts,
    d.registry,
    config.imageImportDirs,
    d.store,
    forgetBases,
  );
  return {
    images: imageService,
    imageSharing: new ImageSharingService({
      tx,
      images,
      shares: d.shares,
      imageService,
      hosts: d.hosts,
      quotas: config.quotas,
      homeRegion: config.regionId,
    }),
    imageCreation: new ImageCreationService({
      tx,
      images,
      instances: d.instances,
      disks: d.workers.disks,
      snapshotQuota: config.storage.quotas.snapshot,
      storageChanged: () => d.workers.storage.kick(),
      leases: d.leases,
      actions: d.actions,
      enqueue: d.enqueue,
      imageQuota: d.imageQuota,
    }),
    imageImport: new ImageImportService({
      tx,
      images,
      tasks: d.workers.imageTasks,
      policy: d.workers.importPolicy,
      exchange: d.workers.exchange,
      imageQuota: d.imageQuota,
      kick: () => d.workers.imports.kick(),
    }),
    imageExport: new ImageExportService({
      tx,
      tasks: d.workers.imageTasks,
      images: imageService,
      exchange: d.workers.exchange,
      kick: () => d.workers.imports.kick(),
    }),
  };
}
