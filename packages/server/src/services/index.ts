// The services a route may call, as one type. They are built by the composition root
// (../wiring.ts); this module builds nothing.
import type { RequestGuardsModel } from '@kumo/store';
import type { Authenticator } from '../auth/authenticate.js';
import type { AccountService } from './accounts.js';
import type { ConsoleService } from './consoles.js';
import type { HostService } from './hosts.js';
import type { ImageService } from './images.js';
import type { InstanceService } from './instances.js';
import type { InstanceTypeService } from './instance-types.js';
import type { KeypairService } from './keypairs.js';
import type { QuotaService } from './quotas.js';

/** Every service a route may call. */
export interface Services {
  accounts: AccountService;
  keypairs: KeypairService;
  instanceTypes: InstanceTypeService;
  quotas: QuotaService;
  hosts: HostService;
  images: ImageService;
  instances: InstanceService;
  consoles: ConsoleService;
  authenticator: Authenticator;
  guards: RequestGuardsModel;
}
