// The leased background workers of one kumod beside the task runner and the network runtime: the
// storage worker (disk and snapshot tasks, through the storage backends) and the NIC worker
// (attachNetworkInterface/detachNetworkInterface onto hosts) and the image import worker
// (importImage's downloads into the image store), with the models and registry they
// drive. Built by the composition root; started after the HTTP listener, stopped before it closes.
import {
  DiskAttachmentsModel,
  DisksModel,
  ImageTasksModel,
  type ImagesModel,
  InterfaceAttachmentsModel,
  StorageBackendsModel,
  type Database,
  type HostsModel,
  type InstancesModel,
  type NetworkInterfacesModel,
} from '@kumo/store';
import type { HostRegistry } from './compute/host-registry.js';
import { imageOrigin } from './compute/image-files.js';
import { ImportAddressPolicy } from './compute/import-url.js';
import { StorageRegistry } from './compute/storage-registry.js';
import type { Config } from './config.js';
import type { ImageStore } from './drivers/image-store.js';
import type { ImageOrigin } from './drivers/storage-backend.js';
import type { DriverRegistry } from './drivers/registry.js';
import { S3ImageExchange } from './drivers/image-exchange.js';
import { ImageImportWorker } from './jobs/image-import-worker.js';
import type { TaskNetwork } from './jobs/context.js';
import { NicWorker } from './jobs/nic-worker.js';
import { StorageWorker } from './jobs/storage-worker.js';
import type { Logger } from './logger.js';

/** What the workers are built from. */
export interface WorkersDeps {
  db: Database;
  drivers: DriverRegistry;
  config: Config;
  registry: HostRegistry;
  hosts: HostsModel;
  instances: InstancesModel;
  interfaces: NetworkInterfacesModel;
  network: TaskNetwork;
  images: ImagesModel;
  imageStore: ImageStore;
  log: Logger;
}

/** The built workers and what services share with them. */
export interface Workers {
  disks: DisksModel;
  diskAttachments: DiskAttachmentsModel;
  backends: StorageBackendsModel;
  nicAttachments: InterfaceAttachmentsModel;
  storageRegistry: StorageRegistry;
  storage: StorageWorker;
  nics: NicWorker;
  imageTasks: ImageTasksModel;
  importPolicy: ImportAddressPolicy;
  imports: ImageImportWorker;
  /** The image exchange bucket (KUMO_IMAGE_EXCHANGE_BUCKET), when configured. */
  exchange: S3ImageExchange | undefined;
  /** The root file of an image, for a cloud system disk made (or made again) from it. */
  imageOrigin(imageId: string): Promise<ImageOrigin>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function buildWorkers(d: WorkersDeps): Workers {
  const { config, log } = d;
  const owner = `${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const crash = config.compute.crashAtStep ? { crashAt: config.compute.crashAtStep } : {};
  const instanceHost = async (id: string) => (await d.instances.get(id))?.hostId;
  // The root file of an image, as a shared backend makes cloud system disks from it.
  const originOf = async (imageId: string) => {
    const image = await d.images.get(imageId);
    if (!image) throw new Error(`image ${imageId} is gone`);
    return imageOrigin(image, d.imageStore);
  };
  const disks = new DisksModel(d.db);
  const diskAttachments = new DiskAttachmentsModel(d.db);
  const backends = new StorageBackendsModel(d.db);
  const nicAttachments = new InterfaceAttachmentsModel(d.db);
  // KUMO_TEST_CRASH_AT `storage:<step>`: the process dies like `kill -9` once a backend reached it.
  const storageRegistry = new StorageRegistry(
    d.drivers,
    backends,
    d.hosts,
    config.compute.libvirtPrefix,
    (s) => {
      if (config.compute.crashAtStep === `storage:${s}`) process.kill(process.pid, 'SIGKILL');
    },
  );
  const storage = new StorageWorker({
    disks,
    attachments: diskAttachments,
    storage: storageRegistry,
    owner,
    leaseSeconds: config.storage.leaseSeconds,
    intervalMs: config.storage.intervalMs,
    log,
    instanceHost,
    domainOf: (id) => `${config.compute.libvirtPrefix}${id}`,
    imageOrigin: originOf,
    imageNamed: (sha) => d.images.namesObject(sha),
    ...crash,
  });
  const nics = new NicWorker({
    attachments: nicAttachments,
    nic: (id) => d.interfaces.get(id),
    instanceHost,
    hosts: d.registry,
    network: d.network,
    owner,
    // The network plane's lease and pace: a plug is one host call and one wait for the port.
    leaseSeconds: config.network.syncLeaseSeconds,
    intervalMs: config.network.syncIntervalMs,
    log,
    ...crash,
  });
  const imageTasks = new ImageTasksModel(d.db);
  const importPolicy = new ImportAddressPolicy(config.imageImport.allowCidrs);
  const exchange = config.imageStore.exchange ? new S3ImageExchange(config.imageStore.exchange) : undefined;
  const imports = new ImageImportWorker({
    tasks: imageTasks,
    images: d.images,
    store: d.imageStore,
    policy: importPolicy,
    ...(exchange ? { exchange } : {}),
    owner,
    // The storage plane's lease and pace: an import is a long storage task.
    leaseSeconds: config.storage.leaseSeconds,
    intervalMs: config.storage.intervalMs,
    log,
    ...crash,
  });
  return {
    disks,
    diskAttachments,
    backends,
    nicAttachments,
    storageRegistry,
    storage,
    nics,
    imageTasks,
    importPolicy,
    imports,
    exchange,
    imageOrigin: originOf,
    start: async () => {
      storage.start();
      nics.start();
      imports.start();
    },
    stop: async () => {
      await imports.stop();
      await nics.stop();
      await storage.stop();
      await storageRegistry.close();
      await exchange?.close();
    },
  };
}
