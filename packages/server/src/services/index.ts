// The one wiring place: builds every service from the database and config. No module singletons.
import { AccountsModel, KeypairsModel, RequestGuardsModel, type Database } from '@kumo/store';
import type { Config } from '../config.js';
import { Authenticator } from '../auth/authenticate.js';
import { AccountService } from './accounts.js';
import { InstanceTypeService } from './instance-types.js';
import { KeypairService } from './keypairs.js';
import { QuotaService } from './quotas.js';

/** Every service a route may call. */
export interface Services {
  accounts: AccountService;
  keypairs: KeypairService;
  instanceTypes: InstanceTypeService;
  quotas: QuotaService;
  authenticator: Authenticator;
  guards: RequestGuardsModel;
}

/** Builds the services for one kumod process. */
export function createServices(db: Database, config: Config): Services {
  const accountsModel = new AccountsModel(db);
  const keypairsModel = new KeypairsModel(db);
  const guards = new RequestGuardsModel(db);
  const quotas = new QuotaService(config.quotas, {
    keypair: (scope) => keypairsModel.count(scope),
  });
  return {
    accounts: new AccountService(accountsModel),
    keypairs: new KeypairService(keypairsModel, () => quotas.limit('keypair')),
    // Hosts and their capacity arrive with the hosts registry; until then no AZ offers capacity.
    instanceTypes: new InstanceTypeService(config.instanceTypes, async () => []),
    quotas,
    authenticator: new Authenticator(accountsModel, guards, config),
    guards,
  };
}
