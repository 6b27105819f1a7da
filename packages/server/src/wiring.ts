// The composition root: builds every model, the host registry (with the driver picked by name),
// the services, the task runner and the reconciler for one kumod process. The only place that
// knows every layer; nothing else constructs these, and there are no module singletons.
import {
  AccessKeysModel,
  AccountsModel,
  AuditLogModel,
  InstanceAdminModel,
  ClientTokensModel,
  ConsoleTokensModel,
  HostsModel,
  ImagesModel,
  ImageSharesModel,
  InstanceActionsModel,
  InstancesModel,
  InstanceTasksModel,
  KeypairsModel,
  NetworkInterfacesModel,
  PlaneSyncModel,
  RateLeasesModel,
  RequestGuardsModel,
  SubnetsModel,
  UsageModel,
  InstanceChargesModel,
  Transactions,
  type Database,
} from '@kumo/store';
import { Tc2Authenticator } from './auth/tc2.js';
import { Tc3Authenticator } from './auth/tc3.js';
import { Authenticator } from './auth/authenticate.js';
import { keyringCodec, loadMasterKey, loadPreviousMasterKey } from './secrets.js';
import { HostRegistry } from './compute/host-registry.js';
import { vncPasswordFor } from './compute/passwords.js';
import { ZoneSnapshots } from './compute/zone-snapshots.js';
import { SpawnPlacement } from './compute/placement.js';
import type { Config } from './config.js';
import { builtinDrivers, type DriverRegistry } from './drivers/registry.js';
import type { TaskContext } from './jobs/context.js';
import { TaskRunner } from './jobs/runner.js';
import { taskDisks } from './jobs/task-disks.js';
import type { Logger } from './logger.js';
import { NetworkRuntime, taskNetwork } from './network-runtime.js';
import { buildImageServices } from './image-wiring.js';
import { buildWorkers } from './workers.js';
import { buildNetworkServices } from './network-wiring.js';
import { Reconciler } from './reconcile/reconciler.js';
import { Metrics } from './metrics.js';
import { AccessKeyService } from './services/access-keys.js';
import { AccountService } from './services/accounts.js';
import { AuditService } from './services/audit.js';
import { InstanceAdminService } from './services/instance-admin.js';
import { InstanceEvacuationService } from './services/instance-evacuation.js';
import { ConsoleService } from './services/consoles.js';
import { DiskService } from './services/disks.js';
import { DiskAttachmentService } from './services/disk-attachments.js';
import { InstanceDiskWriter } from './services/instance-disks.js';
import { StorageBackendService } from './services/storage-backends.js';
import { HostService } from './services/hosts.js';
import type { Services } from './services/index.js';
import { InstanceService } from './services/instances.js';
import { InstanceTypeService, type AzCapacity } from './services/instance-types.js';
import { KeypairService } from './services/keypairs.js';
import { NicAttachmentService } from './services/nic-attachments.js';
import { QuotaService } from './services/quotas.js';
import { UsageService } from './services/usage.js';
import { fileClock, systemClock } from './billing/clock.js';
import { ChargePolicy } from './billing/charges.js';
import { ChargeTimer } from './services/charge-timer.js';
import { InstanceChargeService } from './services/instance-charges.js';

/** The host driver kumod uses; the only one today. */
const HOST_DRIVER = 'libvirt';

/** Services plus the background machinery the daemon starts and stops. */
export interface Wiring {
  services: Services;
  registry: HostRegistry;
  runner: TaskRunner;
  reconciler: Reconciler;
  hostsModel: HostsModel;
  metrics: Metrics;
  /** The network plane's connection, converger and reconciler. */
  network: { start(): Promise<void>; stop(): Promise<void> };
  /** The storage and NIC workers (and the open storage backends). */
  workers: { start(): Promise<void>; stop(): Promise<void> };
  /** Prepaid instances' expiry, retirement and deletion. */
  chargeTimer: ChargeTimer;
  /** Seals secrets stored before sealing existed; throws on a master key that does not open them. */
  sealSecrets(): Promise<number>;
}

/** Builds everything for one kumod process. */
export function createWiring(
  db: Database,
  guardsDb: Database,
  databaseUrl: string,
  config: Config,
  log: Logger,
  drivers: DriverRegistry = builtinDrivers(),
): Wiring {
  const tx = new Transactions(db);
  const clock = config.billing.clockFile ? fileClock(config.billing.clockFile) : systemClock;
  const chargePolicy = new ChargePolicy(clock, config.billing.retireGraceSeconds);
  const chargesModel = new InstanceChargesModel(db);
  const masterKey = loadMasterKey(config.masterKey, config.dataDir);
  const codec = keyringCodec(masterKey, loadPreviousMasterKey(config.masterKeyPrevious));
  const accountsModel = new AccountsModel(db, codec);
  const vncPassword = (id: string) => vncPasswordFor(masterKey, id);
  const keypairsModel = new KeypairsModel(db);
  const guards = new RequestGuardsModel(guardsDb);
  const hostsModel = new HostsModel(db);
  // One per process: creates and spawn retries rank hosts from the same recent snapshots.
  const zoneSnapshots = new ZoneSnapshots();
  const imagesModel = new ImagesModel(db);
  const sharesModel = new ImageSharesModel(db);
  const instancesModel = new InstancesModel(db);
  const leases = new InstanceTasksModel(db);
  const subnetsModel = new SubnetsModel(db);
  const actions = new InstanceActionsModel(db);
  const instanceAdmin = new InstanceAdminModel(db);
  const interfacesModel = new NetworkInterfacesModel(db);
  const sync = new PlaneSyncModel(db);
  const network = new NetworkRuntime(drivers, config, tx, sync, log);
  const changed = () => network.kick();
  const registry = new HostRegistry(hostsModel, drivers.host.get(HOST_DRIVER), config.compute, log);
  const imageStore = drivers.imageStore.get(config.imageStore.driver)(config.imageStore);
  const netTasks = taskNetwork(network, interfacesModel, sync, config.network);
  const workers = buildWorkers({
    db,
    drivers,
    config,
    registry,
    hosts: hostsModel,
    instances: instancesModel,
    images: imagesModel,
    imageStore,
    interfaces: interfacesModel,
    network: netTasks,
    log,
  });
  const { storageRegistry, storage: storageWorker } = workers;
  const quotas = new QuotaService(config.quotas, {
    keypair: (scope) => keypairsModel.count(scope),
    instance: (scope) => instancesModel.count(scope),
    image: (scope) => imagesModel.countOwned(scope.regionId, scope.accountId),
    imageShare: (scope, opts): Promise<number> =>
      imageSharing.usage(scope.regionId, scope.accountId, opts.imageId),
  });
  const instanceTypes = new InstanceTypeService(config.instanceTypes, () => azCapacity(hostsModel));
  const ctx: TaskContext = {
    vncPassword,
    hosts: registry,
    inventory: {
      image: (id) => imagesModel.get(id),
      subnet: (regionId, id) => subnetsModel.find(regionId, id),
      publicKeys: async (scope, names) => {
        const keys: string[] = [];
        for (const name of names) {
          const k = await keypairsModel.find(scope, name);
          if (k) keys.push(k.publicKey);
        }
        return keys;
      },
      instance: (id) => instancesModel.get(id),
    },
    network: netTasks,
    disks: taskDisks({
      disks: workers.disks,
      attachments: workers.diskAttachments,
      storage: storageRegistry,
      domainOf: (id) => `${config.compute.libvirtPrefix}${id}`,
      kick: () => storageWorker.kick(),
      imageOrigin: (id) => workers.imageOrigin(id),
      crashAt: config.compute.crashAtStep,
    }),
    // Built below from the network services (only called once tasks run).
    natEra: {
      adopt: (inst) => natEra.adopt(inst),
      sharedSubnetOf: (inst) => natEra.sharedSubnetOf(inst),
      othersOnHost: (hostId, shared, except) => natEra.othersOnHost(hostId, shared, except),
      settle: (id) => natEra.settle(id),
    },
    images: {
      setProgress: (id, percent) => imagesModel.setProgress(id, percent),
      settle: (id, outcome) => imagesModel.settle(id, outcome),
    },
    placement: new SpawnPlacement({
      tx,
      hosts: hostsModel,
      images: imagesModel,
      leases,
      weigher: config.compute.weigher,
      snapshots: zoneSnapshots,
    }),
    locks: { locked: (key, fn) => tx.locked(key, fn) },
    imageStore,
    compute: config.compute,
    log,
  };
  const metrics = new Metrics({
    instancesByStatus: () => instancesModel.countByStatus(),
    hostsByHealth: () => hostsModel.countByHealth(),
  });
  const runner = new TaskRunner({
    databaseUrl,
    leases,
    actions,
    ctx,
    observe: (task, outcome, seconds) => metrics.observeTask(task, outcome, seconds),
  });
  const enqueue = (id: string, task: Parameters<TaskRunner['enqueue']>[1]) => runner.enqueue(id, task);
  const net = buildNetworkServices({
    db,
    tx,
    config,
    runtime: network,
    sync,
    hosts: hostsModel,
    instances: instancesModel,
    interfaces: interfacesModel,
    subnets: subnetsModel,
  });
  const { networkInterfaces, elasticIps, natEra } = net;
  const imageServices = buildImageServices({
    config,
    tx,
    images: imagesModel,
    shares: sharesModel,
    hosts: hostsModel,
    registry,
    store: imageStore,
    instances: instancesModel,
    leases,
    actions,
    workers,
    log,
    enqueue,
    imageQuota: () => quotas.limit('image'),
  });
  const { images: imageService, imageSharing } = imageServices;
  // Rate budget is leased through the guards pool too (asynchronous commit: see rate-budget.ts).
  const authenticator = new Authenticator(accountsModel, guards, new RateLeasesModel(guardsDb), config);
  const services: Services = {
    accounts: new AccountService(accountsModel),
    accessKeys: new AccessKeyService(new AccessKeysModel(db, codec), accountsModel, (k) =>
      authenticator.evict(k),
    ),
    keypairs: new KeypairService(keypairsModel, () => quotas.limit('keypair')),
    instanceTypes,
    quotas,
    hosts: new HostService(hostsModel, registry, config.hostUris),
    ...imageServices,
    instances: new InstanceService({
      tx,
      instances: instancesModel,
      leases,
      hosts: hostsModel,
      images: imagesModel,
      imageService,
      network: {
        primaryInterface: (trx, scope, id, spec) =>
          networkInterfaces.createPrimaryInterface(trx, scope, id, spec),
        elasticIpFor: (trx, scope, id, nic, spec) => elasticIps.createForInstance(trx, scope, id, nic, spec),
        kick: changed,
      },
      disks: new InstanceDiskWriter({
        tx,
        disks: workers.disks,
        attachments: workers.diskAttachments,
        backends: workers.backends,
        storage: storageRegistry,
        quotas: config.storage.quotas,
        changed: () => storageWorker.kick(),
      }),
      keypairs: keypairsModel,
      actions,
      clientTokens: new ClientTokensModel(db),
      instanceTypes,
      quotas,
      enqueue,
      compute: config.compute,
      snapshots: zoneSnapshots,
      charges: chargePolicy,
    }),
    authenticator,
    tc3: new Tc3Authenticator(authenticator, config),
    tc2: new Tc2Authenticator(authenticator, config),
    instanceAdmin: new InstanceAdminService(instanceAdmin, log),
    instanceEvacuation: new InstanceEvacuationService({
      instances: instancesModel,
      hosts: hostsModel,
      leases,
      disks: workers.disks,
      actions,
      enqueue,
      log,
    }),
    // The trail is written through the guards pool: asynchronous commit, off the request path.
    audit: new AuditService(new AuditLogModel(guardsDb), log, config.billing),
    usage: new UsageService(new UsageModel(db), config.billing.prices, clock),
    instanceCharges: new InstanceChargeService({
      instances: instancesModel,
      charges: chargesModel,
      policy: chargePolicy,
      log,
    }),
    chargePolicy,
    vpcs: net.vpcs,
    securityGroups: net.securityGroups,
    networkInterfaces,
    elasticIps,
    vpcQuota: net.vpcQuota,
    externalNetworks: net.externalNetworks,
    networkPlane: net.networkPlane,
    consoles: new ConsoleService({
      tokens: new ConsoleTokensModel(db),
      instances: instancesModel,
      actions,
      hosts: registry,
      config: config.console,
      vncPassword,
    }),
    disks: new DiskService({
      tx,
      disks: workers.disks,
      backends: workers.backends,
      storage: storageRegistry,
      quotas: config.storage.quotas,
      imageNaming: (id) => imagesModel.namingSnapshot(id),
      changed: () => storageWorker.kick(),
    }),
    diskAttachments: new DiskAttachmentService({
      tx,
      disks: workers.disks,
      attachments: workers.diskAttachments,
      instances: instancesModel,
      changed: () => storageWorker.kick(),
    }),
    nicAttachments: new NicAttachmentService({
      tx,
      instances: instancesModel,
      interfaces: interfacesModel,
      attachments: workers.nicAttachments,
      nicLimit: (type) => instanceTypes.find(type)?.nicLimit,
      changed: () => workers.nics.kick(),
    }),
    storageBackends: new StorageBackendService(workers.backends, storageRegistry, config.regionId),
    guards,
  };
  const reconciler = new Reconciler({
    tx,
    hosts: hostsModel,
    instances: instancesModel,
    images: imagesModel,
    leases,
    admin: instanceAdmin,
    registry,
    enqueue,
    compute: config.compute,
    log,
  });
  return {
    services,
    registry,
    runner,
    reconciler,
    hostsModel,
    metrics,
    network,
    workers,
    chargeTimer: new ChargeTimer({
      tx,
      charges: chargesModel,
      instances: services.instances,
      policy: chargePolicy,
      intervalMs: config.billing.sweepIntervalMs,
      log,
    }),
    sealSecrets: () => accountsModel.sealSecrets(),
  };
}

/** Per AZ, the most room any one usable host has (a type is in stock where one host fits it). */
async function azCapacity(hosts: HostsModel): Promise<AzCapacity[]> {
  const byAz = new Map<string, AzCapacity>();
  for (const h of await hosts.list()) {
    const entry = byAz.get(h.az) ?? { az: h.az, freeVcpus: 0, freeMemoryMB: 0, nestedVirt: false };
    if (h.enabled && h.health === 'up') {
      const free = (r: { total: number; used: number; ratio: number }) =>
        Math.floor(r.total * r.ratio) - r.used;
      entry.freeVcpus = Math.max(entry.freeVcpus, free(h.vcpus));
      entry.freeMemoryMB = Math.max(entry.freeMemoryMB, free(h.memoryMB));
      entry.nestedVirt ||= h.nestedVirt;
    }
    byAz.set(h.az, entry);
  }
  return [...byAz.values()];
}
