// Tencent Cloud's error codes (CVM API 3.0 and the legacy API 2.0) and the ONE table that maps
// Kumo's catalogue onto them. Errors only the Tencent front ends can raise (signatures, actions,
// versions) are built here; every other error is a catalogue error translated by name.
import type { ApiError, ErrorName, ErrorStatus } from './errors.js';

/** An error in Tencent's terms: a dotted code such as `InvalidInstanceId.NotFound` and a message. */
export class TencentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TencentError';
  }
}

const te = (code: string, message: string) => new TencentError(code, message);

/** Errors of the Tencent front ends themselves. */
export const TencentErrors = {
  invalidAuthorization: (why: string) => te('AuthFailure.InvalidAuthorization', why),
  // One message whatever failed, so secret ids cannot be probed (as on the JD path).
  signatureFailure: () =>
    te('AuthFailure.SignatureFailure', 'Signature does not match, or the SecretId is unknown or disabled'),
  signatureExpire: () =>
    te('AuthFailure.SignatureExpire', 'The request timestamp is outside the allowed clock skew'),
  replayed: () => te('AuthFailure.SignatureFailure', 'This signature was already used (a replayed request)'),
  nonceReplayed: () =>
    te('RequestReplayed', 'This Nonce and Timestamp were already used (a replayed request)'),
  invalidAction: (action: string) => te('InvalidAction', `The action '${action}' does not exist`),
  ambiguousAction: (action: string, services: string) =>
    te(
      'InvalidAction',
      `The action '${action}' exists in ${services}: sign for the service (endpoint host <service>.<domain>)`,
    ),
  noSuchVersion: (version: string) =>
    te('NoSuchVersion', `The version '${version}' does not exist; this endpoint serves 2017-03-12`),
  unsupportedRegion: (region: string) => te('UnsupportedRegion', `The region '${region}' is not served here`),
  missingParameter: (name: string) => te('MissingParameter', `The parameter ${name} is missing`),
  invalidParameter: (name: string, why: string) =>
    te('InvalidParameter', `Invalid parameter ${name}: ${why}`),
  invalidParameterValue: (name: string, why: string) =>
    te('InvalidParameterValue', `Invalid value of ${name}: ${why}`),
  invalidParameterCombination: (why: string) => te('InvalidParameterCombination', why),
  invalidFilter: (name: string) => te('InvalidFilter', `Unknown filter name '${name}'`),
  limitTooLarge: (name: string) =>
    te('InvalidParameterValue.LimitExceeded', `${name} must be between 0 and 100`),
  malformedInstanceId: (id: string) =>
    te('InvalidInstanceId.Malformed', `The instance id '${id}' is malformed; use ins-xxxxxxxxxxxx`),
  instanceNotFound: (id: string) => te('InvalidInstanceId.NotFound', `The instance '${id}' does not exist`),
  operationInProgress: (id: string, task: string) =>
    te('OperationDenied.InstanceOperationInProgress', `The instance '${id}' is busy with ${task}`),
  stateUnsupported: (id: string, state: string) =>
    te('UnsupportedOperation.InstanceStateUnsupported', `The instance '${id}' is ${state}`),
  instanceRunning: (id: string) =>
    te(
      'UnsupportedOperation.InstanceStateRunning',
      `The instance '${id}' is running; stop it first or set ForceStop`,
    ),
  keyPairNotFound: (id: string) => te('InvalidKeyPairId.NotFound', `The key pair '${id}' does not exist`),
  malformedKeyPairId: (id: string) =>
    te('InvalidKeyPairId.Malformed', `The key pair id '${id}' is malformed; use skey-<name>`),
  imageNotFound: (id: string) => te('InvalidImageId.NotFound', `The image '${id}' does not exist`),
  // The VPC and CBS services' own shapes of id and lookup errors.
  malformedId: (name: string, id: string, shape: string) =>
    te('InvalidParameterValue.Malformed', `Invalid value of ${name}: '${id}' is malformed; use ${shape}`),
  resourceNotFound: (what: string, id: string) =>
    te('ResourceNotFound', `The ${what} '${id}' does not exist`),
  addressBound: (id: string) =>
    te('InvalidAddressIdStatus.NotPermit', `The address '${id}' is bound; disassociate it first`),
  addressNotBound: (id: string) => te('InvalidAddressIdStatus.NotPermit', `The address '${id}' is not bound`),
  diskAttached: (id: string) => te('InvalidDisk.Busy', `The disk '${id}' is attached; detach it first`),
  diskNotAttached: (id: string) => te('InvalidDisk.NotSupported', `The disk '${id}' is not attached there`),
  diskNotFound: (id: string) => te('InvalidDiskId.NotFound', `The disk '${id}' does not exist`),
  snapshotNotFound: (id: string) => te('InvalidSnapshotId.NotFound', `The snapshot '${id}' does not exist`),
  unsupportedOperation: (what: string) =>
    te('UnsupportedOperation', `${what} is not supported by this cloud`),
  dryRun: () => te('DryRunOperation', 'The request would have succeeded; DryRun made no change'),
  unauthorized: (why: string) => te('UnauthorizedOperation', why),
  rateLimited: (scope: string) =>
    te('RequestLimitExceeded', `Request rate limit exceeded (${scope}); retry after a short wait`),
  internal: () => te('InternalError', 'Internal error; the RequestId identifies it in the logs'),
};

// Catalogue errors by name: the one table. Names not listed fall back on their JD status below.
const BY_NAME: Partial<Record<ErrorName, string>> = {
  missingParameter: 'MissingParameter',
  invalidParameter: 'InvalidParameterValue',
  malformedJson: 'InvalidParameter',
  unknownFilter: 'InvalidFilter',
  outOfRange: 'InvalidParameterValue.Range',
  unauthenticated: 'AuthFailure.SignatureFailure',
  adminOnly: 'UnauthorizedOperation',
  rateLimited: 'RequestLimitExceeded',
  keypairNotFound: 'InvalidKeyPairId.NotFound',
  keyNameInUse: 'InvalidKeyPairName.Duplicate',
  malformedPublicKey: 'InvalidPublicKey.Malformed',
  instanceTypeNotFound: 'InvalidInstanceType.Malformed',
  quotaExceeded: 'LimitExceeded.InstanceQuota',
  instanceNotFound: 'InvalidInstanceId.NotFound',
  invalidInstanceStatus: 'UnsupportedOperation.InstanceStateUnsupported',
  conflictWithTask: 'OperationDenied.InstanceOperationInProgress',
  prepaidNotExpired: 'UnsupportedOperation.InstanceChargeType',
  invalidPassword: 'InvalidPassword',
  noCapacity: 'ResourceInsufficient.ZoneSoldOutForSpecifiedInstance',
  ipInUse: 'InvalidParameterValue.IPAddressUsed',
  noFreeIp: 'ResourceInsufficient.SubnetIpNotEnough',
  unsupported: 'UnsupportedOperation',
  azNotFound: 'InvalidZone.MismatchRegion',
  subnetNotFound: 'InvalidParameterValue.SubnetNotExist',
  vpcNotFound: 'InvalidParameterValue.VpcIdNotExist',
  securityGroupNotFound: 'InvalidSecurityGroupId.NotFound',
  consoleUnavailable: 'UnsupportedOperation',
  consoleLimit: 'LimitExceeded',
  imageNotFound: 'InvalidImageId.NotFound',
  imageNotReady: 'InvalidImageState',
  imageConstraint: 'InvalidParameterCombination',
  imageInUse: 'InvalidImageId.InShared',
  imageDiskTooSmall: 'InvalidParameterValue.InvalidImageIdIsTooLarge',
  internal: 'InternalError',
  unavailable: 'InternalError',
  notImplemented: 'UnsupportedOperation',
};

// Where the VPC and CBS services name an error differently from CVM (checked before BY_NAME).
const BY_SERVICE: Record<string, Partial<Record<ErrorName, string>>> = {
  vpc: {
    vpcNotFound: 'ResourceNotFound',
    subnetNotFound: 'ResourceNotFound',
    securityGroupNotFound: 'ResourceNotFound',
    ruleNotFound: 'ResourceNotFound',
    networkInterfaceNotFound: 'ResourceNotFound',
    elasticIpNotFound: 'InvalidAddressId.NotFound',
    instanceNotFound: 'InvalidInstanceId.NotFound',
    interfaceHasElasticIp: 'ResourceInUse',
    invalidAddressPrefix: 'InvalidParameterValue.Malformed',
    subnetOverlaps: 'InvalidParameterValue.SubnetConflict',
    vpcHasSubnets: 'ResourceInUse',
    vpcHasSecurityGroups: 'ResourceInUse',
    subnetInUse: 'ResourceInUse',
    securityGroupInUse: 'ResourceInUse',
    defaultSecurityGroup: 'UnsupportedOperation',
    networkInterfaceAttached: 'ResourceInUse',
    networkInterfaceNotAttached: 'UnsupportedOperation.InvalidState',
    primaryNetworkInterface: 'UnsupportedOperation.InvalidState',
    nicLimitExceeded: 'LimitExceeded',
    elasticIpAssociated: 'InvalidAddressIdStatus.NotPermit',
    elasticIpNotAssociated: 'InvalidAddressIdStatus.NotPermit',
    instanceHasElasticIp: 'InvalidInstanceId.AlreadyBindEip',
    eipPoolExhausted: 'AddressQuotaLimitExceeded',
    quotaExceeded: 'LimitExceeded',
    azNotFound: 'InvalidParameterValue.Range',
    noFreeIp: 'ResourceInsufficient.Subnet',
  },
  cbs: {
    diskNotFound: 'InvalidDiskId.NotFound',
    snapshotNotFound: 'InvalidSnapshotId.NotFound',
    instanceNotFound: 'InvalidInstanceId.NotFound',
    quotaExceeded: 'LimitExceeded',
    invalidDiskStatus: 'InvalidDisk.Busy',
    invalidSnapshotStatus: 'InvalidSnapshot.NotSupported',
    diskSizeOutOfRange: 'InvalidParameterValue',
    diskShrink: 'InvalidParameterValue',
    diskHasSnapshots: 'ResourceInUse',
    snapshotHasDisks: 'ResourceInUse',
    noStorageBackend: 'ResourceInsufficient',
    storageFull: 'ResourceInsufficient',
    conflictWithTask: 'ResourceBusy',
    invalidInstanceStatus: 'InvalidInstance.NotSupported',
  },
};

const BY_STATUS: Record<ErrorStatus, string> = {
  INVALID_ARGUMENT: 'InvalidParameterValue',
  FAILED_PRECONDITION: 'FailedOperation',
  OUT_OF_RANGE: 'InvalidParameterValue.Range',
  DUPLICATE: 'ResourceInUse',
  CONFLICT: 'ResourceInUse',
  UNAUTHENTICATED: 'AuthFailure',
  HTTP_FORBIDDEN: 'UnauthorizedOperation',
  PERMISSION_DENIED: 'UnauthorizedOperation',
  NOT_FOUND: 'ResourceNotFound',
  ABORTED: 'FailedOperation',
  ALREADY_EXISTS: 'ResourceInUse',
  QUOTA_EXCEEDED: 'LimitExceeded',
  RATE_LIMIT: 'RequestLimitExceeded',
  INTERNAL: 'InternalError',
  UNKNOWN: 'InternalError',
  NOT_IMPLEMENTED: 'UnsupportedOperation',
  UNAVAILABLE: 'InternalError',
};

/** A catalogue error in Tencent's terms for one of its services (the message stays Kumo's). */
export function toTencentError(e: ApiError, service = 'cvm'): TencentError {
  const code = (e.kind && (BY_SERVICE[service]?.[e.kind] ?? BY_NAME[e.kind])) ?? BY_STATUS[e.status];
  return new TencentError(code, e.message);
}

/** The numeric `code` of API 2.0's envelope for a Tencent error (the seed's legacy convention). */
export function tc2CodeOf(code: string): number {
  if (code === 'AuthFailure.SignatureExpire') return 4200;
  if (code.startsWith('AuthFailure')) return 4100;
  if (code === 'RequestReplayed') return 4500;
  if (code === 'UnauthorizedOperation') return 4300;
  if (code === 'RequestLimitExceeded' || code.startsWith('LimitExceeded')) return 4400;
  if (code === 'InternalError') return 6000;
  if (code.endsWith('.NotFound') || code === 'ResourceNotFound') return 5000;
  if (
    /^(MissingParameter|InvalidParameter|InvalidFilter|InvalidAction|NoSuchVersion|UnsupportedRegion)/.test(
      code,
    )
  )
    return 4000;
  if (code.endsWith('.Malformed') || code.startsWith('Invalid')) return 4000;
  return 5100;
}
