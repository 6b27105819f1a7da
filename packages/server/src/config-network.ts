// The network part of kumod's configuration: which network plane driver and endpoint, the pool
// default VPCs are carved from, vpc-service quotas and the converger's lease. Parsed once, by
// parseConfig; its variables are listed in CONFIG_VARIABLES with the rest.
import { parseCidr } from '@kumo/store';
import { ConfigError } from './config-error.js';

/** How kumod reaches the network plane and lays out account defaults. */
export interface NetworkConfig {
  /** NetworkPlane driver name (`ovn`; tests register `fake`). */
  driver: string;
  /**
   * The driver's endpoint, e.g. `unix:/run/ovn/ovnnb_db.sock` or `tcp:127.0.0.1:6641`, or OVN's
   * comma-separated list of a raft cluster's members (`ssl:nb1:6641,ssl:nb2:6641,ssl:nb3:6641`).
   */
  endpoint: string;
  /** PEM files for `ssl:` endpoints: kumod's key and certificate, and the CA of the servers'. */
  tls: { keyFile: string; certFile: string; caFile: string } | undefined;
  /** The pool default VPCs are carved from (non-overlapping across accounts), e.g. `10.240.0.0/16`. */
  defaultVpcPool: string;
  /** Prefix length of each account's default VPC. */
  defaultVpcPrefixLength: number;
  /** How long a converger's claim on a row lasts before another kumod may take it over. */
  syncLeaseSeconds: number;
  /** The converger's polling period (it is also kicked after every change). */
  syncIntervalMs: number;
  /** The integration bridge every host plugs guest NICs into (OVN's `br-int`). */
  bridge: string;
  /** How long a start waits for OVN to report a guest's port up before trying again later. */
  portUpTimeoutSeconds: number;
  quotas: {
    vpc: number;
    subnet: number;
    securityGroup: number;
    securityGroupRule: number;
    networkInterface: number;
    elasticIp: number;
  };
}

/** The variables of this section and their defaults (merged into CONFIG_VARIABLES). */
export const NETWORK_VARIABLES = {
  KUMO_NETWORK_DRIVER: 'ovn',
  KUMO_OVN_NB: 'unix:/run/ovn/ovnnb_db.sock',
  KUMO_OVN_NB_PRIVATE_KEY: '',
  KUMO_OVN_NB_CERTIFICATE: '',
  KUMO_OVN_NB_CA_CERT: '',
  KUMO_OVN_BRIDGE: 'br-int',
  KUMO_PORT_UP_TIMEOUT_SECONDS: '60',
  KUMO_DEFAULT_VPC_POOL: '',
  KUMO_DEFAULT_VPC_PREFIX_LENGTH: '',
  KUMO_NETWORK_SYNC_LEASE_SECONDS: '30',
  KUMO_NETWORK_SYNC_INTERVAL_MS: '1000',
  KUMO_QUOTA_VPC: '10',
  KUMO_QUOTA_SUBNET: '50',
  KUMO_QUOTA_SECURITY_GROUP: '50',
  KUMO_QUOTA_SECURITY_GROUP_RULE: '100',
  KUMO_QUOTA_NETWORK_INTERFACE: '100',
  KUMO_QUOTA_ELASTIC_IP: '20',
} as const;

type Name = keyof typeof NETWORK_VARIABLES;

/**
 * Parses the network section. Without KUMO_DEFAULT_VPC_POOL the pool is KUMO_SUBNET_BLOCK's /16
 * cut into /20s (16 accounts), so the route the quickstart sets up to that /16 reaches every
 * default VPC; an operator with more accounts sets e.g. 10.240.0.0/12 and length 16.
 */
export function parseNetwork(
  get: (name: Name) => string,
  int: (name: Name, min: number, max: number) => number,
  subnetBlock: string,
): NetworkConfig {
  const driver = get('KUMO_NETWORK_DRIVER');
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(driver))
    throw new ConfigError(`KUMO_NETWORK_DRIVER must be a driver name like ovn, got "${driver}"`);
  const pool = get('KUMO_DEFAULT_VPC_POOL') || `${subnetBlock}.0.0/16`;
  const parsed = parseCidr(pool);
  const poolLength = parsed?.length ?? NaN;
  if (!parsed || poolLength < 8 || poolLength > 24) {
    throw new ConfigError(
      `KUMO_DEFAULT_VPC_POOL must be an IPv4 prefix /8–/24 without host bits, got "${pool}"`,
    );
  }
  const lengthRaw = get('KUMO_DEFAULT_VPC_PREFIX_LENGTH');
  const length = lengthRaw === '' ? Math.max(poolLength, 20) : int('KUMO_DEFAULT_VPC_PREFIX_LENGTH', 16, 24);
  if (length < poolLength) {
    throw new ConfigError(
      `KUMO_DEFAULT_VPC_PREFIX_LENGTH (${length}) must not be shorter than the pool's (/${poolLength})`,
    );
  }
  return {
    driver,
    ...northbound(get, driver),
    bridge: bridgeName(get('KUMO_OVN_BRIDGE')),
    portUpTimeoutSeconds: int('KUMO_PORT_UP_TIMEOUT_SECONDS', 1, 3600),
    defaultVpcPool: pool,
    defaultVpcPrefixLength: length,
    syncLeaseSeconds: int('KUMO_NETWORK_SYNC_LEASE_SECONDS', 2, 3600),
    syncIntervalMs: int('KUMO_NETWORK_SYNC_INTERVAL_MS', 50, 60_000),
    quotas: {
      vpc: int('KUMO_QUOTA_VPC', 0, 100_000),
      subnet: int('KUMO_QUOTA_SUBNET', 0, 100_000),
      securityGroup: int('KUMO_QUOTA_SECURITY_GROUP', 0, 100_000),
      securityGroupRule: int('KUMO_QUOTA_SECURITY_GROUP_RULE', 1, 100_000),
      networkInterface: int('KUMO_QUOTA_NETWORK_INTERFACE', 0, 100_000),
      elasticIp: int('KUMO_QUOTA_ELASTIC_IP', 0, 100_000),
    },
  };
}

/** OVN's NB endpoints and, for `ssl:` ones, the TLS files (all three or none). */
function northbound(get: (name: Name) => string, driver: string): Pick<NetworkConfig, 'endpoint' | 'tls'> {
  const endpoint = get('KUMO_OVN_NB');
  const remotes = endpoint.split(',').map((s) => s.trim());
  // Other drivers (the tests' in-memory plane) name their endpoints their own way.
  if (driver !== 'ovn') return { endpoint, tls: undefined };
  for (const r of remotes)
    if (!/^(unix:\/.+|(tcp|ssl):.+:\d{1,5})$/.test(r))
      throw new ConfigError(
        `KUMO_OVN_NB must list endpoints like unix:/run/ovn/ovnnb_db.sock, tcp:HOST:PORT or ssl:HOST:PORT (comma-separated), got "${r}"`,
      );
  const files = {
    keyFile: get('KUMO_OVN_NB_PRIVATE_KEY'),
    certFile: get('KUMO_OVN_NB_CERTIFICATE'),
    caFile: get('KUMO_OVN_NB_CA_CERT'),
  };
  const given = Object.values(files).filter(Boolean).length;
  if (given !== 0 && given !== 3)
    throw new ConfigError(
      'KUMO_OVN_NB_PRIVATE_KEY, KUMO_OVN_NB_CERTIFICATE and KUMO_OVN_NB_CA_CERT go together: set all three or none',
    );
  if (given === 0 && remotes.some((r) => r.startsWith('ssl:')))
    throw new ConfigError(
      'KUMO_OVN_NB has ssl: endpoints: set KUMO_OVN_NB_PRIVATE_KEY, KUMO_OVN_NB_CERTIFICATE and KUMO_OVN_NB_CA_CERT',
    );
  return { endpoint: remotes.join(','), tls: given === 3 ? files : undefined };
}

// The name reaches libvirt's domain XML and ovs-vsctl: an OVS bridge name, nothing else.
function bridgeName(v: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(v))
    throw new ConfigError(`KUMO_OVN_BRIDGE must be an Open vSwitch bridge name like br-int, got "${v}"`);
  return v;
}
