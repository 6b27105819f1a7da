// Ids in Tencent's shapes, mapped deterministically onto Kumo's (no id table): an instance
// `i-<12>` is `ins-<12>` to CVM, a key pair named `k` is `skey-k`; images, VPCs and subnets keep
// their ids, whose shapes Tencent shares; the VPC and CBS ids below. Either API reaches the same row.
import { DISK_ID_PATTERNS, ID_PATTERNS, KEY_NAME, TencentErrors, VPC_ID_PATTERNS } from '@kumo/contract';

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

/**
 * A Kumo id kind as the VPC and CBS APIs show it: VPCs, subnets and groups keep their ids (the
 * prefixes are Tencent's), the others swap their prefix (`fip-x` is `eip-x`, `port-x` is `eni-x`,
 * `vol-x` is `disk-x`, `snapshot-x` is `snap-x`) and keep the rest.
 */
class IdMap {
  constructor(
    private readonly kumo: string,
    private readonly tencent: string,
    private readonly shape: RegExp,
    private readonly malformed: (name: string, id: string, shape: string) => Error,
  ) {}

  /** The Tencent id of a Kumo id. */
  out = (id: string): string => `${this.tencent}-${id.slice(this.kumo.length + 1)}`;

  /** The Kumo id of a Tencent id in parameter `name`; the service's Malformed error if not one. */
  in = (name: string, id: string): string => {
    const kumo = id.startsWith(`${this.tencent}-`) ? `${this.kumo}-${id.slice(this.tencent.length + 1)}` : '';
    if (!this.shape.test(kumo)) throw this.malformed(name, id.slice(0, 64), `${this.tencent}-xxxxxxxxxx`);
    return kumo;
  };
}

const vpcMalformed = TencentErrors.malformedId;
const cbsMalformed = (name: string, id: string, shape: string) =>
  TencentErrors.invalidParameterValue(name, `'${id}' is malformed; use ${shape}`);

/** Ids of the VPC service. */
export const VPC_IDS = {
  vpc: new IdMap('vpc', 'vpc', VPC_ID_PATTERNS.vpc, vpcMalformed),
  subnet: new IdMap('subnet', 'subnet', VPC_ID_PATTERNS.subnet, vpcMalformed),
  securityGroup: new IdMap('sg', 'sg', VPC_ID_PATTERNS.securityGroup, vpcMalformed),
  address: new IdMap('fip', 'eip', VPC_ID_PATTERNS.elasticIp, vpcMalformed),
  networkInterface: new IdMap('port', 'eni', VPC_ID_PATTERNS.networkInterface, vpcMalformed),
  instance: { out: cvmInstanceId, in: (_name: string, id: string) => instanceIdOf(id) },
};

/** Ids of the CBS service. */
export const CBS_IDS = {
  disk: new IdMap('vol', 'disk', DISK_ID_PATTERNS.disk, cbsMalformed),
  snapshot: new IdMap('snapshot', 'snap', DISK_ID_PATTERNS.snapshot, cbsMalformed),
};
