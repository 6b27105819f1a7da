// What job handlers need: models, the host registry and config, gathered in one object.
import type {
  Database,
  HostsModel,
  ImagesModel,
  InstanceActionsModel,
  InstancesModel,
  KeypairsModel,
  SubnetsModel,
} from '@kumo/store';
import type { HostRegistry } from '../compute/host-registry.js';
import type { ComputeConfig } from '../config.js';
import type { Logger } from '../logger.js';

/** Dependencies of job handlers. */
export interface JobContext {
  db: Database;
  instances: InstancesModel;
  hosts: HostsModel;
  images: ImagesModel;
  subnets: SubnetsModel;
  keypairs: KeypairsModel;
  actions: InstanceActionsModel;
  registry: HostRegistry;
  compute: ComputeConfig;
  log: Logger;
}
