// The vpc service's part of the composition root: the network services over their store models,
// each kicking the network runtime's converger after a commit. Built by createWiring, which hands
// their results to the instance service, the task context (NAT-era adoption) and the routes.
import {
  ElasticIpsModel,
  NatEraModel,
  SecurityGroupsModel,
  SubnetsModel,
  VpcsModel,
  type Database,
  type HostsModel,
  type InstancesModel,
  type NetworkInterfacesModel,
  type PlaneSyncModel,
  type Transactions,
} from '@kumo/store';
import type { Config } from './config.js';
import type { NetworkRuntime } from './network-runtime.js';
import { ElasticIpService } from './services/elastic-ips.js';
import { ExternalNetworkService } from './services/external-networks.js';
import { NatEraAdoption } from './services/nat-era.js';
import { NetworkDefaults } from './services/network-defaults.js';
import { NetworkInterfaceService } from './services/network-interfaces.js';
import { NetworkPlaneService } from './services/network-plane.js';
import { SecurityGroupService } from './services/security-groups.js';
import { VpcQuotaService } from './services/vpc-quota.js';
import { VpcService } from './services/vpcs.js';

/** What the network services are built from. */
export interface NetworkServicesDeps {
  db: Database;
  tx: Transactions;
  config: Config;
  runtime: NetworkRuntime;
  sync: PlaneSyncModel;
  hosts: HostsModel;
  instances: InstancesModel;
  interfaces: NetworkInterfacesModel;
  subnets: SubnetsModel;
}

/** Builds the vpc service's services. */
export function buildNetworkServices(d: NetworkServicesDeps) {
  const { db, tx, config } = d;
  const changed = () => d.runtime.kick();
  const vpcs = new VpcsModel(db);
  const groups = new SecurityGroupsModel(db);
  const eips = new ElasticIpsModel(db);
  const defaults = new NetworkDefaults({
    tx,
    vpcs,
    groups,
    sharedSubnets: d.subnets,
    hosts: d.hosts,
    network: config.network,
    defaultRegion: config.regionId,
    defaultAz: config.defaultAz,
    changed,
  });
  const netDeps = { tx, vpcs, groups, defaults, quotas: config.network.quotas, changed };
  const networkInterfaces = new NetworkInterfaceService({ ...netDeps, interfaces: d.interfaces, eips });
  return {
    vpcs: new VpcService(netDeps),
    securityGroups: new SecurityGroupService({ ...netDeps, interfaces: d.interfaces }),
    networkInterfaces,
    elasticIps: new ElasticIpService({
      tx,
      vpcs,
      eips,
      interfaces: d.interfaces,
      quota: config.network.quotas.elasticIp,
      changed,
    }),
    natEra: new NatEraAdoption({
      tx,
      natEra: new NatEraModel(db),
      instances: d.instances,
      sharedSubnets: d.subnets,
      vpcs,
      groups,
      interfaces: d.interfaces,
      networkInterfaces,
      changed,
    }),
    vpcQuota: new VpcQuotaService({
      vpcs,
      groups,
      interfaces: d.interfaces,
      eips,
      quotas: config.network.quotas,
    }),
    externalNetworks: new ExternalNetworkService({ tx, eips, vpcs, defaultRegion: config.regionId, changed }),
    networkPlane: new NetworkPlaneService({
      sync: d.sync,
      plane: () => d.runtime.plane,
      driver: config.network.driver,
    }),
  };
}
