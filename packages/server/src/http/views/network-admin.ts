// Renders external networks and EIP pools for the admin API. Presentation only.
import type { EipPoolRecord, ExternalNetworkRecord } from '@kumo/store';
import { formatJdTime } from './time.js';

/** An external (provider) network. */
export const externalNetworkView = (n: ExternalNetworkRecord) => ({
  externalNetworkId: n.id,
  regionId: n.regionId,
  cidr: n.cidr,
  gateway: n.gateway,
  physicalNetwork: n.physicalNetwork,
  vlan: n.vlan ?? 0,
  gatewayChassis: n.gatewayChassis,
  createTime: formatJdTime(n.createdAt),
});

/** An EIP pool. */
export const eipPoolView = (p: EipPoolRecord) => ({
  eipPoolId: p.id,
  regionId: p.regionId,
  externalNetworkId: p.externalNetworkId,
  cidr: p.cidr,
  provider: p.provider,
  createTime: formatJdTime(p.createdAt),
});
