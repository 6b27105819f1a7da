// The one error catalogue of the JD Cloud API surface: every error a client can see is built here.
// It must not know about HTTP frameworks, SQL or libvirt; callers translate outside errors into these.

/** The `status` strings of JD Cloud's error envelope (contract §1.6). */
export type ErrorStatus =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'OUT_OF_RANGE'
  | 'DUPLICATE'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'HTTP_FORBIDDEN'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ABORTED'
  | 'ALREADY_EXISTS'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMIT'
  | 'INTERNAL'
  | 'UNKNOWN'
  | 'NOT_IMPLEMENTED'
  | 'UNAVAILABLE';

/** An error that is safe to show to an API client: HTTP code, JD status and a user-facing message. */
export class ApiError extends Error {
  /** The catalogue factory that built it, so other APIs' adapters can map it (set by {@link Errors}). */
  kind: ErrorName | undefined;

  constructor(
    readonly code: number,
    readonly status: ErrorStatus,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The `error` member of the JD envelope. */
  toBody(): { code: number; status: ErrorStatus; message: string } {
    return { code: this.code, status: this.status, message: this.message };
  }
}

const invalid = (message: string) => new ApiError(400, 'INVALID_ARGUMENT', message);
const precondition = (message: string) => new ApiError(400, 'FAILED_PRECONDITION', message);
const outOfRange = (message: string) => new ApiError(400, 'OUT_OF_RANGE', message);
const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);

const catalogue = {
  // Request shape
  missingParameter: (name: string) => invalid(`Parameter ${name} missing`),
  invalidParameter: (name: string, why?: string) =>
    invalid(why ? `Invalid parameter ${name}: ${why}` : `Invalid parameter ${name}`),
  malformedJson: () => invalid('Malformed JSON body'),
  bodyTooLarge: (limitBytes: number) =>
    new ApiError(413, 'INVALID_ARGUMENT', `Request body larger than ${limitBytes} bytes`),
  unsupportedMediaType: (what: string) =>
    new ApiError(415, 'INVALID_ARGUMENT', `Unsupported ${what}: send uncompressed application/json`),
  requestTimeout: () => new ApiError(408, 'INVALID_ARGUMENT', 'The request body did not arrive in time'),
  ambiguousEncoding: (where: string) =>
    invalid(`Ambiguous encoding in the ${where}: send each character one way, as JD's SDKs do`),
  unknownFilter: (name: string) => invalid(`Unknown filter name '${name}'`),
  unsupportedFilterOperator: (name: string, op: string) =>
    invalid(`Filter '${name}' does not support operator '${op}'`),
  pageSizeOutOfRange: () => outOfRange('PageSize out of range'),
  pageNumberOutOfRange: () => outOfRange('PageNumber out of range'),
  outOfRange: (name: string) => outOfRange(`${name} out of range`),
  unknownPath: (method: string, path: string) => notFound(`No operation ${method} ${path}`),
  unknownRegion: (regionId: string) => notFound(`Region '${regionId}' not found`),

  // Authentication and authorization
  unauthenticated: (why: string) => new ApiError(401, 'UNAUTHENTICATED', why),
  adminOnly: () => new ApiError(403, 'PERMISSION_DENIED', 'This operation requires the admin account'),
  rateLimited: (scope: string) =>
    new ApiError(429, 'RATE_LIMIT', `Request rate limit exceeded (${scope}); retry after a short wait`),

  // Keypairs
  keypairNotFound: (name: string) => notFound(`KeyPair '${name}' not found`),
  keyNameInUse: (name: string) => precondition(`KeyName '${name}' already in use`),
  malformedPublicKey: (why: string) => precondition(`Malformed PublicKey ${why}`),

  // Catalogue and quotas
  instanceTypeNotFound: (name: string) => notFound(`InstanceType '${name}' not found`),
  quotaExceeded: (resource: string) =>
    new ApiError(429, 'QUOTA_EXCEEDED', `${capitalize(resource)} quota limit exceeded`),

  // Instances
  instanceNotFound: (id: string) => notFound(`Instance '${id}' not found.`),
  invalidInstanceStatus: (status: string) => precondition(`Invalid instance status '${status}'`),
  conflictWithTask: (task: string) => precondition(`Conflict with underlay task ${task}`),
  // JD: "The virtual machine that has not expired in monthly package cannot be deleted."
  prepaidNotExpired: (id: string) =>
    precondition(`Instance ${id} is prepaid_by_duration and has not expired, it cannot be deleted`),
  prepaidExpired: (id: string) =>
    precondition(`Instance ${id} is prepaid_by_duration and has expired: renew it first`),
  notPrepaid: (id: string) => precondition(`Instance ${id} is not prepaid_by_duration: nothing to renew`),
  invalidPassword: () => invalid('Invalid password'),
  noCapacity: (az: string, instanceType: string) =>
    precondition(`No host in '${az}' has capacity for instanceType '${instanceType}'`),
  ipInUse: (ip: string) => precondition(`PrimaryIpAddress '${ip}' already in use`),
  noFreeIp: (subnetId: string) => precondition(`Subnet '${subnetId}' has no free IP address`),
  unsupported: (what: string) => invalid(`${what} is not supported by this cloud`),
  azNotFound: (az: string) => invalid(`Invalid az '${az}'`),
  subnetNotFound: (id: string) => notFound(`Subnet '${id}' not found`),
  consoleUnavailable: (why: string) => precondition(`Console unavailable: ${why}`),
  consoleLimit: (scope: 'instance' | 'account') =>
    new ApiError(429, 'QUOTA_EXCEEDED', `Too many console sessions for this ${scope}`),

  // The vpc service (VPCs, subnets, security groups, network interfaces)
  vpcNotFound: (id: string) => notFound(`Vpc '${id}' not found`),
  securityGroupNotFound: (id: string) => notFound(`NetworkSecurityGroup '${id}' not found`),
  ruleNotFound: (id: string) => notFound(`SecurityGroupRule '${id}' not found`),
  invalidAddressPrefix: (name: string, why: string) => invalid(`Invalid parameter ${name}: ${why}`),
  subnetOverlaps: (cidr: string, other: string) =>
    invalid(`Invalid parameter addressPrefix: '${cidr}' overlaps subnet '${other}'`),
  vpcHasSubnets: (id: string) => precondition(`Vpc '${id}' still has subnets; delete them first`),
  vpcHasSecurityGroups: (id: string) =>
    precondition(`Vpc '${id}' still has security groups; delete them first`),
  subnetInUse: (id: string) => precondition(`Subnet '${id}' still has network interfaces or instances`),
  securityGroupInUse: (id: string) =>
    precondition(`NetworkSecurityGroup '${id}' is in use by network interfaces`),
  defaultSecurityGroup: (id: string) =>
    precondition(`NetworkSecurityGroup '${id}' is the VPC's default group; it goes with the VPC`),
  networkInterfaceNotFound: (id: string) => notFound(`NetworkInterface '${id}' not found`),
  networkInterfaceAttached: (id: string, instanceId: string) =>
    precondition(`NetworkInterface '${id}' is attached to instance '${instanceId}'; detach it first`),
  networkInterfaceNotAttached: (id: string, instanceId: string) =>
    precondition(`NetworkInterface '${id}' is not attached to instance '${instanceId}'`),
  primaryNetworkInterface: (id: string) =>
    invalid(
      `NetworkInterface '${id}' is the instance's primary interface; it cannot be attached or detached`,
    ),
  nicLimitExceeded: (instanceType: string, limit: number) =>
    precondition(`Instance type '${instanceType}' allows at most ${limit} network interfaces`),
  tooManySecurityGroups: (max: number) => invalid(`Invalid parameter securityGroups: at most ${max} groups`),
  securityGroupOfOtherVpc: (id: string, vpcId: string) =>
    invalid(`Invalid parameter securityGroups: group '${id}' is not in VPC '${vpcId}'`),
  ipOutsideSubnet: (field: string, ip: string, cidr: string) =>
    invalid(`Invalid parameter ${field}: '${ip}' is not a usable address of ${cidr}`),
  elasticIpNotFound: (id: string) => notFound(`ElasticIp '${id}' not found`),
  elasticIpAssociated: (id: string) => precondition(`ElasticIp '${id}' is associated; disassociate it first`),
  elasticIpNotAssociated: (id: string, nic: string) =>
    precondition(`ElasticIp '${id}' is not associated with network interface '${nic}'`),
  instanceHasElasticIp: (id: string) =>
    precondition(`Instance '${id}' already has an elastic IP; disassociate it first`),
  instanceNotOnNetworkPlane: (id: string) =>
    precondition(
      `Instance '${id}' predates the network plane (it runs on its host's NAT network) and has no network interface`,
    ),
  interfaceHasElasticIp: (id: string) =>
    precondition(`NetworkInterface '${id}' has elastic IPs associated; disassociate them first`),
  eipPoolExhausted: (provider: string) =>
    new ApiError(429, 'QUOTA_EXCEEDED', `No free elastic IP address for provider '${provider}'`),
  externalNetworkNotFound: (id: string) => notFound(`ExternalNetwork '${id}' not found`),
  eipPoolNotFound: (id: string) => notFound(`EipPool '${id}' not found`),
  inUse: (what: string) => precondition(`${what} is in use`),
  defaultVpcPoolExhausted: () =>
    new ApiError(429, 'QUOTA_EXCEEDED', 'No default VPC prefix left in the operator pool'),

  // Images
  imageNotFound: (id: string) => notFound(`Image '${id}' not found`),
  imageNotReady: (id: string) => precondition(`Image '${id}' not ready`),
  imageConstraint: (instanceType: string) =>
    precondition(`Image constraints. Doesn't support instanceType '${instanceType}'`),
  imageInUse: (id: string) => precondition(`Image '${id}' is in use by instances`),
  imageShared: (id: string) => precondition(`Image '${id}' is shared with other accounts; unshare it first`),
  imageBusy: (id: string) => precondition(`Image '${id}' is being created; wait until it is ready or failed`),
  imageNotOwned: (id: string) =>
    precondition(`Image '${id}' is shared with this account; only its owner may change it`),
  imageNotPrivate: (id: string) => precondition(`Image '${id}' is not a private image`),
  wholeMachineImage: (id: string, what: string) =>
    precondition(
      `Image '${id}' is a whole-machine image (its data disks are snapshots): it cannot be ${what}`,
    ),
  imageDiskTooSmall: (minGB: number) =>
    outOfRange(
      `InstanceSpec.SystemDisk.CloudDiskSpec.DiskSizeGB out of range: the image needs at least ${minGB} GB`,
    ),

  // Hosts (admin API)
  hostNotFound: (id: string) => notFound(`Host '${id}' not found`),
  hostInUse: (id: string) => precondition(`Host '${id}' still has instances; drain and move them first`),
  hostNameInUse: (name: string) => new ApiError(409, 'ALREADY_EXISTS', `Host '${name}' already exists`),
  // Nova's evacuate too refuses while the compute service is up: the guest may still be running there.
  hostStillUp: (id: string) =>
    precondition(`Host '${id}' is up: evacuate moves instances off a host that is down or cut off`),
  evacuateTarget: (id: string, why: string) => invalid(`Invalid parameter hostId: host '${id}' ${why}`),
  hostUnreachable: (why: string) => new ApiError(400, 'FAILED_PRECONDITION', `Host unreachable: ${why}`),

  // The disk service (cloud disks, snapshots) and storage backends
  diskNotFound: (id: string) => notFound(`Disk '${id}' not found`),
  snapshotNotFound: (id: string) => notFound(`Snapshot '${id}' not found`),
  invalidDiskStatus: (id: string, status: string) => precondition(`Disk '${id}' is ${status}`),
  invalidSnapshotStatus: (id: string, status: string) => precondition(`Snapshot '${id}' is ${status}`),
  diskSizeOutOfRange: (diskType: string, min: number, max: number, step: number) =>
    outOfRange(`Invalid parameter diskSizeGB: ${diskType} disks are ${min}-${max} GB in steps of ${step}`),
  diskShrink: (current: number) =>
    invalid(`Invalid parameter diskSizeGB: a disk only grows (it has ${current} GB)`),
  diskHasSnapshots: (id: string) => precondition(`Disk '${id}' has snapshots; delete them first`),
  snapshotHasDisks: (id: string) =>
    precondition(`Snapshot '${id}' has disks created from it; delete them first`),
  snapshotInImage: (id: string, imageId: string) =>
    precondition(`Snapshot '${id}' belongs to image '${imageId}'; delete the image first`),
  snapshotOfOtherDisk: (id: string, diskId: string) =>
    invalid(`Invalid parameter snapshotId: snapshot '${id}' is not of disk '${diskId}'`),
  noStorageBackend: (az: string) => precondition(`AZ '${az}' has no storage backend for cloud disks`),
  storageFull: (az: string) => precondition(`The storage of AZ '${az}' has no room for this disk`),
  storageBackendNotFound: (id: string) => notFound(`StorageBackend '${id}' not found`),
  storageBackendExists: (az: string) =>
    new ApiError(409, 'ALREADY_EXISTS', `AZ '${az}' already has a storage backend`),
  storageBackendInUse: (id: string) =>
    precondition(`StorageBackend '${id}' still has disks or snapshots; delete them first`),

  // Accounts (admin API)
  accountNotFound: (id: string) => notFound(`Account '${id}' not found`),
  accountNameInUse: (name: string) => new ApiError(409, 'ALREADY_EXISTS', `Account '${name}' already exists`),

  // Access keys (self-service and admin)
  accessKeyNotFound: (key: string) => notFound(`Access key '${key}' not found`),
  accessKeyLimit: (limit: number) =>
    new ApiError(429, 'QUOTA_EXCEEDED', `Access key quota limit exceeded (at most ${limit} per account)`),
  lastAccessKey: () =>
    precondition("This is the account's last enabled access key; create another one first"),

  // Server side
  internal: () => new ApiError(500, 'INTERNAL', 'Internal error; the request id identifies it in the logs'),
  unavailable: (what: string) => new ApiError(503, 'UNAVAILABLE', `${what} is unavailable; retry later`),
  notImplemented: (operation: string) =>
    new ApiError(501, 'NOT_IMPLEMENTED', `Operation ${operation} is not implemented`),
};

/** Factories for every error Kumo returns; messages follow JD Cloud's wording where it has one. */
export const Errors: typeof catalogue = tagKinds(catalogue);

// Each error remembers its factory's name: the Tencent adapters translate by name, in one table,
// rather than by message text.
function tagKinds<T extends Record<string, (...args: never[]) => ApiError>>(factories: T): T {
  const out: Record<string, (...args: never[]) => ApiError> = {};
  for (const [name, make] of Object.entries(factories)) {
    out[name] = (...args: never[]) => {
      const e = make(...args);
      e.kind = name as ErrorName;
      return e;
    };
  }
  return out as T;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The name of one error of the catalogue; routes list the ones they can return. */
export type ErrorName = keyof typeof catalogue;
