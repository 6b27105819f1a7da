// Renders keypairs and accounts for the wire. Presentation only.
import type { AccountSummary, Keypair } from '@kumo/contract';
import type { Account, Keypair as KeypairRecord } from '@kumo/store';
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
