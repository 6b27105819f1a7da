// NetworkPlane: the slot for the network plane (VPCs, subnets, ports, security groups, elastic
// IPs), to be filled by the OVN implementation in packages/network. Nothing implements it yet:
// today's default subnets are libvirt NAT networks behind HostDriver.ensureNetwork. It must not
// know about the database; the server keeps desired state and calls this to converge the engine.

/** A subnet as the plane builds it. */
export interface PlaneSubnet {
  id: string;
  vpcId: string;
  cidr: string;
  gateway: string;
}

/** A logical port: one NIC of one instance. */
export interface PlanePort {
  id: string;
  subnetId: string;
  mac: string;
  ip: string;
  securityGroupIds: string[];
}

/** One rule of a security group. */
export interface PlaneRule {
  direction: 'ingress' | 'egress';
  protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  fromPort?: number;
  toPort?: number;
  cidr: string;
}

/**
 * The network plane. Every method is idempotent and keyed by Kumo's ids, so a task can re-run it
 * after a crash and a reconciler can compare the engine's rows with the inventory.
 */
export interface NetworkPlane {
  /** Creates (if absent) the router of a VPC and the switch of a subnet with its DHCP options. */
  ensureSubnet(subnet: PlaneSubnet): Promise<void>;
  /** Removes a subnet's switch (no-op when absent); refused while ports remain. */
  removeSubnet(subnetId: string): Promise<void>;
  /** Creates or updates a port with port security; returns what the host binds the NIC to. */
  ensurePort(port: PlanePort): Promise<{ interfaceId: string }>;
  /** Removes a port (no-op when absent). */
  removePort(portId: string): Promise<void>;
  /** Replaces a security group's rules. */
  ensureSecurityGroup(groupId: string, rules: PlaneRule[]): Promise<void>;
  /** Removes a security group (no-op when absent). */
  removeSecurityGroup(groupId: string): Promise<void>;
  /** Maps an elastic IP to a port's address (one-to-one NAT); null unmaps it. */
  bindElasticIp(elasticIp: string, portId: string | null): Promise<void>;
}

/** Connects to a network plane; one factory per driver name (e.g. `ovn`). */
export type NetworkPlaneFactory = (opts: { endpoint: string }) => Promise<NetworkPlane>;
