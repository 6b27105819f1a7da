// Renders keypairs, accounts and subnets for the wire. Presentation only.
import type { AccountSummary, Keypair, Subnet } from '@kumo/contract';
import type { Account, Keypair as KeypairRecord, SubnetRecord } from '@kumo/store';
import { formatJdTime } from './time.js';

/** A keypair as describeKeypairs lists it. */
export const keypairView = (k: KeypairRecord): Keypair => ({
  keyName: k.keyName,
  keyFingerprint: k.fingerprint,
  createTime: formatJdTime(k.createdAt),
});

/** An account on the admin API (never its secrets). */
export const accountView = (a: Account): AccountSummary => ({
  accountId: a.id,
  name: a.name,
  admin: a.isAdmin,
  createTime: formatJdTime(a.createdAt),
});

/** A default subnet as describeSubnets lists it. */
export const subnetView = (s: SubnetRecord): Subnet => ({
  subnetId: s.id,
  subnetName: `default-${s.az}`,
  vpcId: s.vpcId,
  addressPrefix: s.cidr,
  az: s.az,
  description: 'Default subnet of the availability zone',
});
