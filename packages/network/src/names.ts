// How Kumo objects are named in the OVN northbound database (Neutron's layout): one function per
// row name and the external_ids keys that tie rows back to Kumo ids. Pure; inputs are checked ids.

/** external_ids keys Kumo writes on every row it owns. */
export const K = {
  kind: 'kumo:kind',
  vpc: 'kumo:vpc-id',
  subnet: 'kumo:subnet-id',
  port: 'kumo:port-id',
  sg: 'kumo:sg-id',
  rule: 'kumo:rule-id',
  eip: 'kumo:eip-id',
  extNet: 'kumo:external-network-id',
  cidr: 'kumo:cidr',
  gateway: 'kumo:gateway',
} as const;

/** Values of `kumo:kind`: which Kumo object (or part of one) a row is. */
export const Kind = {
  vpc: 'vpc',
  subnet: 'subnet',
  subnetRouterPort: 'subnet-router-port',
  port: 'port',
  sg: 'security-group',
  defaultDrop: 'default-drop',
  extNet: 'external-network',
  localnet: 'localnet',
  gateway: 'vpc-gateway',
  defaultRoute: 'default-route',
  snat: 'snat',
  eip: 'elastic-ip',
} as const;

export const routerName = (vpcId: string): string => `kumo-${vpcId}`;
export const switchName = (subnetId: string): string => `kumo-${subnetId}`;
export const externalSwitchName = (netId: string): string => `kumo-ext-${netId}`;
/** The subnet's port on the VPC router. */
export const subnetRouterPortName = (subnetId: string): string => `lrp-${subnetId}`;
/** The switch side of that port (type router). */
export const subnetSwitchPortName = (subnetId: string): string => `rp-${subnetId}`;
/** The VPC router's port on the external network. */
export const gatewayRouterPortName = (vpcId: string): string => `lrp-gw-${vpcId}`;
export const gatewaySwitchPortName = (vpcId: string): string => `gw-${vpcId}`;
export const localnetPortName = (netId: string): string => `ln-${netId}`;
/** OVN port group names must be identifiers usable after '@' in a match: no '-'. */
export const portGroupName = (sgId: string): string => `pg_${sgId.replace(/-/g, '_')}`;
/** The group every Kumo port joins: drops IP both ways below every allow rule. */
export const DEFAULT_DROP_GROUP = 'kumo_default_drop';
