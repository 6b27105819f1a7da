// Ids in Tencent's shapes, mapped deterministically onto Kumo's (no id table): an instance
// `i-<12>` is `ins-<12>` to CVM, a key pair named `k` is `skey-k`; images, VPCs and subnets keep
// their ids, whose shapes Tencent shares. Either API reaches the same row.
import { ID_PATTERNS, KEY_NAME, TencentErrors } from '@kumo/contract';

const CVM_INSTANCE = /^ins-[a-z0-9]{12}$/;

/** The CVM id of an instance. */
export const cvmInstanceId = (id: string): string => `ins-${id.slice(2)}`;

/** Kumo's id of a CVM instance id; InvalidInstanceId.Malformed when it is not one. */
export function instanceIdOf(cvmId: string): string {
  if (!CVM_INSTANCE.test(cvmId)) throw TencentErrors.malformedInstanceId(cvmId.slice(0, 64));
  const id = `i-${cvmId.slice(4)}`;
  if (!ID_PATTERNS.instance.test(id)) throw TencentErrors.malformedInstanceId(cvmId.slice(0, 64));
  return id;
}

/** The CVM id of a key pair. */
export const keyIdOf = (keyName: string): string => `skey-${keyName}`;

/** The key pair name behind a CVM key id; InvalidKeyPairId.Malformed when it is not one. */
export function keyNameOf(keyId: string): string {
  const name = keyId.startsWith('skey-') ? keyId.slice(5) : '';
  if (!KEY_NAME.test(name)) throw TencentErrors.malformedKeyPairId(keyId.slice(0, 64));
  return name;
}
