// vpc describeQuota: the limit and use of one vpc-service resource type for the account (JD:
// `type` names it, `parentResourceId` the VPC or group a per-parent quota is counted in).
import { Errors, VPC_ID_PATTERNS } from '@kumo/contract';
import type {
  ElasticIpsModel,
  NetworkInterfacesModel,
  Scope,
  SecurityGroupsModel,
  VpcsModel,
} from '@kumo/store';
import type { NetworkConfig } from '../config-network.js';

/** The types vpc describeQuota answers for. */
export const VPC_QUOTA_TYPES = [
  'vpc',
  'subnet',
  'security_group',
  'security_group_rule',
  'network_interface',
  'elastic_ip',
] as const;

/** vpc describeQuota. */
export class VpcQuotaService {
  constructor(
    private readonly d: {
      vpcs: VpcsModel;
      groups: SecurityGroupsModel;
      interfaces: NetworkInterfacesModel;
      eips: ElasticIpsModel;
      quotas: NetworkConfig['quotas'];
    },
  ) {}

  async describe(scope: Scope, type: string, parentResourceId?: string) {
    const q = this.d.quotas;
    const counts: Record<(typeof VPC_QUOTA_TYPES)[number], () => Promise<[number, number]>> = {
      vpc: async () => [q.vpc, await this.d.vpcs.countVpcs(scope)],
      subnet: async () => [q.subnet, await this.d.vpcs.countSubnets(scope)],
      security_group: async () => [q.securityGroup, await this.d.groups.count(scope)],
      security_group_rule: async () => {
        if (!parentResourceId) throw Errors.missingParameter('parentResourceId');
        const g = VPC_ID_PATTERNS.securityGroup.test(parentResourceId)
          ? await this.d.groups.find(scope, parentResourceId)
          : undefined;
        if (!g) throw Errors.securityGroupNotFound(parentResourceId.slice(0, 64));
        return [q.securityGroupRule, g.rules.length];
      },
      network_interface: async () => [q.networkInterface, await this.d.interfaces.count(scope)],
      elastic_ip: async () => [q.elasticIp, await this.d.eips.count(scope)],
    };
    if (!(VPC_QUOTA_TYPES as readonly string[]).includes(type))
      throw Errors.invalidParameter('type', `must be one of ${VPC_QUOTA_TYPES.join(', ')}`);
    const [maxLimit, count] = await counts[type as (typeof VPC_QUOTA_TYPES)[number]]();
    return { quota: { type, parentResourceId: parentResourceId ?? '', maxLimit, count } };
  }
}
