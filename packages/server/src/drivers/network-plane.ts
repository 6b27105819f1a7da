// NetworkPlane: the slot for the network plane (VPCs, subnets, ports, security groups, elastic
// IPs). The contract is defined once in @kumo/network (beside its OVN implementation, which may
// not import the server) and re-exported here unchanged, so the slot and the driver cannot drift.
export type {
  NetworkPlane,
  NetworkPlaneFactory,
  PlaneVpc,
  PlaneSubnet,
  PlanePort,
  PlaneRule,
  PlaneSecurityGroup,
  PlaneExternalNetwork,
  PlaneVpcGateway,
  PlaneElasticIp,
  PlaneInventory,
} from '@kumo/network';
