// The one wiring place: builds every service, the host registry, the job runner and the
// reconciler from the database and config. No module singletons.
import {
  AccountsModel,
  ClientTokensModel,
  HostsModel,
  ImagesModel,
  InstanceActionsModel,
  InstancesModel,
  KeypairsModel,
  RequestGuardsModel,
  SubnetsModel,
  type Database,
} from '@kumo/store';
import { Authenticator } from '../auth/authenticate.js';
import { HostRegistry } from '../compute/host-registry.js';
import type { Config } from '../config.js';
import type { JobContext } from '../jobs/context.js';
import { JobRunner } from '../jobs/runner.js';
import type { Logger } from '../logger.js';
import { Reconciler } from '../reconcile/reconciler.js';
import { AccountService } from './accounts.js';
import { HostService } from './hosts.js';
import { ImageService } from './images.js';
import { InstanceService } from './instances.js';
import { InstanceTypeService, type AzCapacity } from './instance-types.js';
import { KeypairService } from './keypairs.js';
import { QuotaService } from './quotas.js';

/** Every service a route may call. */
export interface Services {
  accounts: AccountService;
  keypairs: KeypairService;
  instanceTypes: InstanceTypeService;
  quotas: QuotaService;
  hosts: HostService;
  images: ImageService;
  instances: InstanceService;
  authenticator: Authenticator;
  guards: RequestGuardsModel;
}

/** Services plus the background machinery the daemon starts and stops. */
export interface Wiring {
  services: Services;
  registry: HostRegistry;
  runner: JobRunner;
  reconciler: Reconciler;
  hostsModel: HostsModel;
}

/** Builds everything for one kumod process. */
export function createServices(
  db: Database,
  guardsDb: Database,
  databaseUrl: string,
  config: Config,
  log: Logger,
): Wiring {
  const accountsModel = new AccountsModel(db);
  const keypairsModel = new KeypairsModel(db);
  const guards = new RequestGuardsModel(guardsDb);
  const hostsModel = new HostsModel(db);
  const imagesModel = new ImagesModel(db);
  const instancesModel = new InstancesModel(db);
  const subnetsModel = new SubnetsModel(db);
  const actions = new InstanceActionsModel(db);
  const registry = new HostRegistry(hostsModel, config.compute, log);

  const quotas = new QuotaService(config.quotas, {
    keypair: (scope) => keypairsModel.count(scope),
    instance: (scope) => instancesModel.count(scope),
    image: (scope) => imagesModel.countOwned(scope.regionId, scope.accountId),
  });
  const instanceTypes = new InstanceTypeService(config.instanceTypes, () => azCapacity(hostsModel));
  const ctx: JobContext = {
    db,
    instances: instancesModel,
    hosts: hostsModel,
    images: imagesModel,
    subnets: subnetsModel,
    keypairs: keypairsModel,
    actions,
    registry,
    compute: config.compute,
    log,
  };
  const runner = new JobRunner(databaseUrl, ctx);
  const imageService = new ImageService(imagesModel, hostsModel, registry);
  const services: Services = {
    accounts: new AccountService(accountsModel),
    keypairs: new KeypairService(keypairsModel, () => quotas.limit('keypair')),
    instanceTypes,
    quotas,
    hosts: new HostService(hostsModel, registry),
    images: imageService,
    instances: new InstanceService({
      db,
      instances: instancesModel,
      hosts: hostsModel,
      images: imagesModel,
      imageService,
      subnets: subnetsModel,
      keypairs: keypairsModel,
      actions,
      clientTokens: new ClientTokensModel(db),
      instanceTypes,
      quotas,
      runner,
      compute: config.compute,
    }),
    authenticator: new Authenticator(accountsModel, guards, config),
    guards,
  };
  return { services, registry, runner, reconciler: new Reconciler(ctx, runner), hostsModel };
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
