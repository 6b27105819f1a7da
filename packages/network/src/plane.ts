// The NetworkPlane contract: what the server drives (VPCs, subnets, ports, security groups, elastic
// IPs) and every driver implements. It lives here, beside the OVN driver, because this package
// may not import the server; packages/server/src/drivers/network-plane.ts re-exports it unchanged.
// It must not know about the database: the server keeps desired state in Postgres and calls this to
// converge the engine. Every object is keyed by Kumo's id (kept in the engine's external_ids), so
// each call is idempotent: a task re-runs it after a crash, and the reconciler compares
// `inventory()` with the database to remove orphans and recreate what is missing.

/** A VPC: one logical router. */
export interface PlaneVpc {
  id: string;
  /** The VPC's address prefix, e.g. `10.0.0.0/16`. */
  cidr: string;
}

/** A subnet: a logical switch, its router port and its native DHCP options. */
export interface PlaneSubnet {
  id: string;
  vpcId: string;
  /** e.g. `10.0.1.0/24`. */
  cidr: string;
  /** The router's address in the subnet (the guests' default route), e.g. `10.0.1.1`. */
  gateway: string;
  /** The router port's MAC (also DHCP's server MAC). */
  gatewayMac: string;
  /** Resolvers handed out by DHCP. */
  dnsServers: string[];
  mtu: number;
}

/** A network interface: one logical switch port with port security. */
export interface PlanePort {
  /** Kumo's id, `port-…`. */
  id: string;
  /** A UUID: the logical switch port's name and libvirt's `interfaceid`. */
  interfaceId: string;
  subnetId: string;
  mac: string;
  /** The primary address first, then secondaries; the only sources the port may send from. */
  ips: string[];
  securityGroupIds: string[];
  /** The DHCP hostname option (an instance's hostname), when the port belongs to an instance. */
  hostname?: string;
  /**
   * The chassis of the host the port's instance runs on: the port binds there alone (OVN's
   * requested-chassis), so no other hypervisor can claim it. Absent: it binds where it appears.
   */
  chassis?: string;
}

/** One rule of a security group. */
export interface PlaneRule {
  id: string;
  direction: 'ingress' | 'egress';
  protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  /** Only for tcp/udp; both absent = every port. */
  fromPort?: number;
  toPort?: number;
  /** The remote side, e.g. `0.0.0.0/0`. */
  cidr: string;
  action: 'allow' | 'deny';
  /** JD's priority, 1 (first) to 100. */
  priority: number;
}

/** A security group: a port group with its ACLs above the global default-drop group. */
export interface PlaneSecurityGroup {
  id: string;
  vpcId: string;
  rules: PlaneRule[];
}

/** The provider (external) network EIPs live on: a switch with a localnet port to a bridge mapping. */
export interface PlaneExternalNetwork {
  id: string;
  /** The provider network's prefix, e.g. `192.0.2.0/24`. */
  cidr: string;
  /** The upstream router on it, the VPC gateways' default route. */
  gateway: string;
  /** The `ovn-bridge-mappings` name on gateway hosts, e.g. `provider`. */
  physicalNetwork: string;
  vlan?: number;
  /** Chassis names that may host VPC gateway ports, highest priority first. */
  gatewayChassis: string[];
}

/** A VPC's gateway on an external network: its router port there, and SNAT for its subnets. */
export interface PlaneVpcGateway {
  vpcId: string;
  externalNetworkId: string;
  /** The router's address on the external network (the source of SNATed traffic). */
  ip: string;
  mac: string;
}

/** An elastic IP bound to a port's address: `dnat_and_snat` on the VPC's router, QoS-limited. */
export interface PlaneElasticIp {
  id: string;
  vpcId: string;
  ip: string;
  portId: string;
  /** The port address it maps to. */
  logicalIp: string;
  bandwidthMbps: number;
}

/** Kumo ids of every object the engine holds (found through external_ids). */
export interface PlaneInventory {
  vpcs: string[];
  subnets: string[];
  ports: string[];
  securityGroups: string[];
  elasticIps: string[];
  externalNetworks: string[];
  vpcGateways: string[];
}

/** The network plane. Every method is idempotent; `remove*` of an absent object is a no-op. */
export interface NetworkPlane {
  ensureVpc(vpc: PlaneVpc): Promise<void>;
  removeVpc(vpcId: string): Promise<void>;
  ensureSubnet(subnet: PlaneSubnet): Promise<void>;
  removeSubnet(subnetId: string): Promise<void>;
  ensureSecurityGroup(group: PlaneSecurityGroup): Promise<void>;
  removeSecurityGroup(groupId: string): Promise<void>;
  /** Creates or updates a port; returns what the host binds the NIC to. */
  ensurePort(port: PlanePort): Promise<{ interfaceId: string }>;
  removePort(portId: string): Promise<void>;
  /** Resolves when a host has bound the port and OVN reports it up; rejects after `timeoutMs`. */
  waitPortUp(portId: string, timeoutMs: number): Promise<void>;
  ensureExternalNetwork(net: PlaneExternalNetwork): Promise<void>;
  removeExternalNetwork(netId: string): Promise<void>;
  ensureVpcGateway(gw: PlaneVpcGateway): Promise<void>;
  removeVpcGateway(vpcId: string): Promise<void>;
  ensureElasticIp(eip: PlaneElasticIp): Promise<void>;
  removeElasticIp(eipId: string): Promise<void>;
  inventory(): Promise<PlaneInventory>;
  close(): Promise<void>;
}

/** Connects to a network plane; one factory per driver name (e.g. `ovn`). */
export type NetworkPlaneFactory = (opts: {
  /** e.g. `unix:/run/ovn/ovnnb_db.sock`, `tcp:127.0.0.1:6641`, `ssl:host:6641`. */
  endpoint: string;
  tls?: { key: string; cert: string; ca: string };
}) => Promise<NetworkPlane>;
