// Renders elastic IPs and network interfaces in the shapes of Tencent's VPC API (Address,
// NetworkInterface). Presentation only.
import type { ElasticIpRecord, NetworkInterfaceRecord } from '@kumo/store';
import { VPC_IDS } from '../ids.js';
import { vpcTime } from './views.js';

/** Tencent's carrier names of Kumo's EIP providers (upper-cased: `bgp` is BGP). */
export const providerName = (provider: string): string => provider.toUpperCase();

/** An Address. */
export function addressView(e: ElasticIpRecord) {
  return {
    AddressId: VPC_IDS.address.out(e.id),
    AddressName: '',
    // Bound to an instance's interface is BIND, to a free-standing interface BIND_ENI.
    AddressStatus: e.interfaceId === null ? 'UNBIND' : e.instanceId ? 'BIND' : 'BIND_ENI',
    AddressIp: e.ip,
    InstanceId: e.instanceId ? VPC_IDS.instance.out(e.instanceId) : null,
    CreatedTime: e.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    NetworkInterfaceId: e.interfaceId ? VPC_IDS.networkInterface.out(e.interfaceId) : null,
    PrivateAddressIp: e.privateIp,
    IsArrears: false,
    IsBlocked: false,
    IsEipDirectConnection: false,
    AddressType: 'EIP',
    CascadeRelease: false,
    InternetServiceProvider: providerName(e.provider),
    LocalBgp: false,
    Bandwidth: e.bandwidthMbps,
    InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
    TagSet: [],
  };
}

/** A NetworkInterface, with the elastic IPs bound to its addresses. */
export function networkInterfaceView(n: NetworkInterfaceRecord, eips: ElasticIpRecord[]) {
  const publicOf = (ip: string) => eips.find((e) => e.interfaceId === n.id && e.privateIp === ip);
  const address = (ip: string, primary: boolean) => ({
    PrivateIpAddress: ip,
    Primary: primary,
    PublicIpAddress: publicOf(ip)?.ip ?? '',
    AddressId: publicOf(ip) ? VPC_IDS.address.out(publicOf(ip)!.id) : '',
    Description: '',
    IsWanIpBlocked: false,
    State: 'AVAILABLE',
  });
  const state =
    n.attachTask === 'attach' ? 'ATTACHING' : n.attachTask === 'detach' ? 'DETACHING' : 'AVAILABLE';
  return {
    NetworkInterfaceId: VPC_IDS.networkInterface.out(n.id),
    NetworkInterfaceName: n.name,
    NetworkInterfaceDescription: n.description,
    SubnetId: VPC_IDS.subnet.out(n.subnetId),
    VpcId: VPC_IDS.vpc.out(n.vpcId),
    GroupSet: n.securityGroupIds.map(VPC_IDS.securityGroup.out),
    Primary: n.role === 'Primary',
    MacAddress: n.mac.toUpperCase(),
    State: state,
    NetworkInterfaceState: state,
    PrivateIpAddressSet: [address(n.primaryIp, true), ...n.secondaryIps.map((ip) => address(ip, false))],
    ...(n.instanceId
      ? {
          Attachment: {
            DeviceIndex: n.deviceIndex ?? 0,
            InstanceAccountId: n.accountId,
            AttachTime: vpcTime(n.createdAt),
            InstanceId: VPC_IDS.instance.out(n.instanceId),
          },
        }
      : {}),
    Zone: n.az,
    CreatedTime: vpcTime(n.createdAt),
    Ipv6AddressSet: [],
    TagSet: [],
    EniType: 0,
    Business: 'cvm',
    AttachType: 0,
  };
}
