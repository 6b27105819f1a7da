// The calls instance creation and deletion make into the vpc service, against a real PostgreSQL
// and the fake plane: a primary interface written in the caller's transaction (defaults
// resolved), and releasing an instance's interfaces and EIPs, converged out of the plane.
import {
  AccountsModel,
  ElasticIpsModel,
  HostsModel,
  migrateLatest,
  NetworkInterfacesModel,
  openDatabase,
  PlaneSyncModel,
  SecurityGroupsModel,
  SubnetsModel,
  Transactions,
  VpcsModel,
  type Database,
} from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';
import { NetworkConverger } from '../src/jobs/network-converger.js';
import { createLogger } from '../src/logger.js';
import { ElasticIpService } from '../src/services/elastic-ips.js';
import { ExternalNetworkService } from '../src/services/external-networks.js';
import { NetworkDefaults } from '../src/services/network-defaults.js';
import { NetworkInterfaceService } from '../src/services/network-interfaces.js';
import { FakeNetworkPlane } from '../src/testing/fake-network-plane.js';

let url: string;
let db: Database;
beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url });
  await migrateLatest(db);
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

test('a primary interface with the defaults, then the instance released: EIPs first, then the port', async () => {
  const account = (await new AccountsModel(db).create('release', false)).account;
  const scope = { accountId: account.id, regionId: 'r-1' };
  const tx = new Transactions(db);
  const vpcs = new VpcsModel(db);
  const groups = new SecurityGroupsModel(db);
  const interfaces = new NetworkInterfacesModel(db);
  const eipsModel = new ElasticIpsModel(db);
  const changed = () => undefined;
  const quotas = {
    vpc: 10,
    subnet: 10,
    securityGroup: 10,
    securityGroupRule: 10,
    networkInterface: 10,
    elasticIp: 10,
  };
  const defaults = new NetworkDefaults({
    tx,
    vpcs,
    groups,
    sharedSubnets: new SubnetsModel(db),
    hosts: new HostsModel(db),
    network: {
      driver: 'fake',
      endpoint: 'memory:',
      tls: undefined,
      defaultVpcPool: '10.240.0.0/16',
      defaultVpcPrefixLength: 20,
      syncLeaseSeconds: 5,
      syncIntervalMs: 1000,
      bridge: 'br-int',
      portUpTimeoutSeconds: 5,
      quotas,
    },
    defaultRegion: 'r-1',
    defaultAz: 'r-1a',
    changed,
  });
  const nics = new NetworkInterfaceService({
    tx,
    vpcs,
    groups,
    interfaces,
    eips: eipsModel,
    defaults,
    quotas,
    changed,
  });
  const eips = new ElasticIpService({ tx, vpcs, eips: eipsModel, interfaces, quota: 10, changed });
  const admin = new ExternalNetworkService({ tx, eips: eipsModel, vpcs, defaultRegion: 'r-1', changed });

  const instanceId = 'i-aaaaaaaaaaaa';
  // As instance creation will call it: in a transaction already holding the account's network lock.
  const primary = await tx.locked(`net:${scope.accountId}:${scope.regionId}`, (trx) =>
    nics.createPrimaryInterface(trx, scope, instanceId, { az: 'r-1a' }),
  );
  expect(primary).toMatchObject({
    role: 'Primary',
    instanceId,
    deviceIndex: 0,
    autoDelete: true,
    az: 'r-1a',
    primaryIp: '10.240.0.2',
  });
  const vpc = await defaults.ensure(scope);
  expect(primary.securityGroupIds).toEqual([(await groups.defaultOf(vpc.id))!.id]);

  const { externalNetworkId } = await admin.create({
    cidr: '192.0.2.0/24',
    gateway: '192.0.2.1',
    physicalNetwork: 'p',
  });
  await admin.createPool({ externalNetworkId, cidr: '192.0.2.8/29' });
  const [withIt, kept] = (await eips.create(scope, { maxCount: 2, bandwidthMbps: 5, provider: 'bgp' }))
    .elasticIpIds;
  await db('elastic_ips').where({ id: withIt }).update({ created_with_instance_id: instanceId });
  await tx.run((trx) =>
    interfaces.claimAddresses(trx, { id: primary.subnetId, cidr: '10.240.0.0/24' }, primary.id, {
      ips: [],
      count: 1,
      primary: false,
    }),
  );
  const secondary = (await interfaces.find(scope, primary.id))!.secondaryIps[0]!;
  await eips.associate(scope, primary.id, { elasticIpId: withIt });
  await eips.associate(scope, primary.id, { elasticIpId: kept, privateIpAddress: secondary });

  const plane = new FakeNetworkPlane();
  const converger = new NetworkConverger({
    sync: new PlaneSyncModel(db),
    plane,
    owner: 'test',
    leaseSeconds: 5,
    intervalMs: 1000,
    log: createLogger('silent'),
  });
  await converger.drain();
  expect((await plane.inventory()).elasticIps.sort()).toEqual([withIt, kept].sort());
  expect((await plane.inventory()).ports).toEqual([primary.id]);

  await tx.run((trx) => nics.releaseInstance(trx, instanceId));
  await converger.drain();
  const inv = await plane.inventory();
  expect(inv.ports).toEqual([]);
  expect(inv.elasticIps).toEqual([]);
  // The EIP created with the instance is gone; the other one is the account's, unbound.
  expect(await eipsModel.find(scope, withIt!)).toBeUndefined();
  expect(await eipsModel.find(scope, kept!)).toMatchObject({ interfaceId: null, privateIp: null });
  expect(await interfaces.find(scope, primary.id)).toBeUndefined();
  expect(await db('subnet_addresses').where({ interface_id: primary.id })).toEqual([]);
});
