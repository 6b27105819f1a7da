// The composition root: builds every model, the host registry (with the driver picked by name),
// the services, the task runner and the reconciler for one kumod process. The only place that
// knows every layer; nothing else constructs these, and there are no module singletons.
import {
  AccountsModel,
  ClientTokensModel,
  ConsoleTokensModel,
  HostsModel,
  ImagesModel,
  InstanceActionsModel,
  InstancesModel,
  InstanceTasksModel,
  KeypairsModel,
  RequestGuardsModel,
  SubnetsModel,
  Transactions,
  type Database,
} from '@kumo/store';
import { Authenticator } from './auth/authenticate.js';
import { aesGcmCodec, loadMasterKey } from './secrets.js';
import { HostRegistry } from './compute/host-registry.js';
import { vncPasswordFor } from './compute/passwords.js';
import { SpawnPlacement } from './compute/placement.js';
import type { Config } from './config.js';
import { builtinDrivers, type DriverRegistry } from './drivers/registry.js';
import type { TaskContext } from './jobs/context.js';
import { TaskRunner } from './jobs/runner.js';
import type { Logger } from './logger.js';
import { Reconciler } from './reconcile/reconciler.js';
import { AccountService } from './services/accounts.js';
import { ConsoleService } from './services/consoles.js';
import { HostService } from './services/hosts.js';
import { ImageService } from './services/images.js';
import type { Services } from './services/index.js';
import { InstanceService } from './services/instances.js';
import { InstanceTypeService, type AzCapacity } from './services/instance-types.js';
import { KeypairService } from './services/keypairs.js';
import { QuotaService } from './services/quotas.js';

/** The host driver kumod uses; the only one today. */
const HOST_DRIVER = 'libvirt';

/** Services plus the background machinery the daemon starts and stops. */
export interface Wiring {
  services: Services;
  registry: HostRegistry;
  runner: TaskRunner;
  reconciler: Reconciler;
  hostsModel: HostsModel;
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
  const masterKey = loadMasterKey(config.masterKey, config.dataDir);
  const accountsModel = new AccountsModel(db, aesGcmCodec(masterKey));
  const vncPassword = (id: string) => vncPasswordFor(masterKey, id);
  const keypairsModel = new KeypairsModel(db);
  const guards = new RequestGuardsModel(guardsDb);
  const hostsModel = new HostsModel(db);
  const imagesModel = new ImagesModel(db);
  const instancesModel = new InstancesModel(db);
  const leases = new InstanceTasksModel(db);
  const subnetsModel = new SubnetsModel(db);
  const actions = new InstanceActionsModel(db);
  const registry = new HostRegistry(hostsModel, drivers.host.get(HOST_DRIVER), config.compute, log);

  const quotas = new QuotaService(config.quotas, {
    keypair: (scope) => keypairsModel.count(scope),
    instance: (scope) => instancesModel.count(scope),
    image: (scope) => imagesModel.countOwned(scope.regionId, scope.accountId),
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
    placement: new SpawnPlacement({
      tx,
      hosts: hostsModel,
      images: imagesModel,
      leases,
      weigher: config.compute.weigher,
    }),
    locks: { locked: (key, fn) => tx.locked(key, fn) },
    compute: config.compute,
    log,
  };
  const runner = new TaskRunner({ databaseUrl, leases, actions, ctx });
  const enqueue = (id: string, task: Parameters<TaskRunner['enqueue']>[1]) => runner.enqueue(id, task);
  const imageService = new ImageService(imagesModel, hostsModel, registry, config.imageImportDirs);
  const services: Services = {
    accounts: new AccountService(accountsModel),
    keypairs: new KeypairService(keypairsModel, () => quotas.limit('keypair')),
    instanceTypes,
    quotas,
    hosts: new HostService(hostsModel, registry, config.hostUris),
    images: imageService,
    instances: new InstanceService({
      tx,
      instances: instancesModel,
      leases,
      hosts: hostsModel,
      images: imagesModel,
      imageService,
      subnets: subnetsModel,
      keypairs: keypairsModel,
      actions,
      clientTokens: new ClientTokensModel(db),
      instanceTypes,
      quotas,
      enqueue,
      compute: config.compute,
    }),
    consoles: new ConsoleService({
      tokens: new ConsoleTokensModel(db),
      instances: instancesModel,
      actions,
      hosts: registry,
      config: config.console,
      vncPassword,
    }),
    authenticator: new Authenticator(accountsModel, guards, config),
    guards,
  };
  const reconciler = new Reconciler({
    tx,
    hosts: hostsModel,
    instances: instancesModel,
    leases,
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
