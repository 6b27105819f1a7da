// Parses kumod's configuration from the environment exactly once, into a typed object passed down.
// Nothing else in the server reads process.env.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBVIRT_URI, REGION_ID } from '@kumo/contract';
import { loadCatalogue, type InstanceTypeSpec } from './catalogue.js';
import { ConfigError } from './config-error.js';
import { CONSOLE_VARIABLES, parseConsole, type ConsoleConfig } from './config-console.js';
import { NETWORK_VARIABLES, parseNetwork, type NetworkConfig } from './config-network.js';
import {
  IMAGE_STORE_VARIABLES,
  parseImageImport,
  parseImageStore,
  type ImageImportConfig,
  type ImageStoreConfig,
} from './config-images.js';
import { STORAGE_VARIABLES, parseStorage, type StorageConfig } from './config-storage.js';
import { BILLING_VARIABLES, parseBilling, type BillingConfig } from './config-billing.js';

export { ConfigError };
export type { BillingConfig, ConsoleConfig, NetworkConfig, StorageConfig };

/** kumod's whole configuration. */
export interface Config {
  listen: { host: string; port: number };
  /** The operator's listener (/metrics, /openapi.json, /healthz; unauthenticated): off when unset. */
  opsListen: { host: string; port: number } | undefined;
  dataDir: string;
  /** External PostgreSQL; undefined means "start the embedded one in dataDir". */
  databaseUrl: string | undefined;
  /** 0: a free loopback port chosen at each start. */
  embeddedPostgresPort: number;
  /** Regions this control plane serves (hosts add more once registered). */
  regionId: string;
  defaultAz: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  instanceTypesFile: string;
  /** The instance type catalogue read from instanceTypesFile. */
  instanceTypes: InstanceTypeSpec[];
  quotas: QuotaLimits;
  rateLimit: { perAccountPerMinute: number; perOperationPerMinute: number };
  auth: {
    maxSkewSeconds: number;
    /** Failed authentications per client address (and per access key) per minute before 429. */
    failuresPerMinute: number;
    /** Host header values (lower case, with port) requests may be signed for. */
    publicHosts: ReadonlySet<string>;
  };
  /** Limits of the front door, enforced before any request is authenticated. */
  frontDoor: {
    maxConnections: number;
    maxConnectionsPerIp: number;
    headersTimeoutMs: number;
    bodyTimeoutMs: number;
  };
  maxBodyBytes: number;
  /** KUMO_MASTER_KEY (base64, 32 bytes), or undefined for the data directory's master.key. */
  masterKey: string | undefined;
  /** The master key being rotated away from (KUMO_MASTER_KEY_PREVIOUS), during a rotation. */
  masterKeyPrevious: string | undefined;
  /** What host URIs may name (services/host-uri.ts). */
  hostUris: { keyDir: string; allowInsecure: boolean };
  /** Directories admin importImage may read manifests and image files from. */
  imageImportDirs: string[];
  /** Where image data lives (KUMO_IMAGE_STORE and friends). */
  imageStore: ImageStoreConfig;
  /** Where importImage URLs may reach (KUMO_IMAGE_IMPORT_ALLOW_CIDRS). */
  imageImport: ImageImportConfig;
  /** HTTPS: off (plain HTTP, only when asked), or on with the operator's files or a self-signed pair. */
  tls: { mode: 'off' } | { mode: 'on'; certFile: string | undefined; keyFile: string | undefined };
  compute: ComputeConfig;
  network: NetworkConfig;
  console: ConsoleConfig;
  storage: StorageConfig;
  /** Prices, the charge timer and the test clock. */
  billing: BillingConfig;
}

/** How kumod drives hosts, jobs and the reconciler. */
export interface ComputeConfig {
  /** Prefix of every libvirt object this control plane creates (distinct per installation). */
  libvirtPrefix: string;
  /** First two octets of the /16 that default subnets are carved from. */
  subnetBlock: string;
  /** libvirt URI registered as a host on first start when no host exists ('' = none). */
  localHostUri: string;
  localHostAccelerator: 'kvm' | 'qemu' | 'probe';
  /** The local host's OVN chassis name ('' = not given: its ports bind wherever they appear). */
  localHostChassis: string;
  /** Storage pool directory for the local host. */
  localPoolDir: string;
  weigher: 'spread' | 'pack';
  jobWorkers: number;
  /** How long stopInstance waits for a guest to power off before forcing it. */
  stopTimeoutSeconds: number;
  reconcileIntervalSeconds: number;
  /** A task whose worker has not renewed its lease for this long is taken over. */
  taskStaleSeconds: number;
  /**
   * A task (other than a delete) not finished this long after its claim, with no live worker (its
   * host does not answer), fails: the instance goes to `error` and can be deleted or reset.
   */
  taskDeadlineSeconds: number;
  vncListen: string;
  /**
   * Test hook: kumod kills itself with SIGKILL when a host operation reaches this named step
   * (e.g. `define`), so crash-safety tests can stop it at an exact point. Empty in production.
   */
  crashAtStep: string;
}

/** Per-account limits by JD quota resource type. */
export interface QuotaLimits {
  instance: number;
  keypair: number;
  image: number;
  instanceTemplate: number;
  imageShare: number;
}

/** Every environment variable kumod understands, with its default (docs and compose checks use it). */
export const CONFIG_VARIABLES = {
  KUMO_LISTEN: '127.0.0.1:8080',
  KUMO_OPS_LISTEN: '',
  KUMO_TLS: 'on',
  KUMO_IMAGE_IMPORT_DIRS: '',
  KUMO_HOST_KEY_DIR: '',
  KUMO_MASTER_KEY: '',
  KUMO_MASTER_KEY_PREVIOUS: '',
  KUMO_ALLOW_INSECURE_HOSTS: '0',
  KUMO_TLS_CERT: '',
  KUMO_TLS_KEY: '',
  KUMO_DATA_DIR: '/var/lib/kumo',
  DATABASE_URL: '',
  KUMO_EMBEDDED_PG_PORT: '0',
  KUMO_REGION: 'local-1',
  KUMO_DEFAULT_AZ: '',
  KUMO_LOG_LEVEL: 'info',
  KUMO_INSTANCE_TYPES: '',
  KUMO_QUOTA_INSTANCE: '20',
  KUMO_QUOTA_KEYPAIR: '20',
  KUMO_QUOTA_IMAGE: '10',
  KUMO_QUOTA_INSTANCE_TEMPLATE: '50',
  KUMO_QUOTA_IMAGE_SHARE: '10',
  KUMO_RATE_LIMIT_PER_MINUTE: '1000',
  KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100',
  KUMO_AUTH_MAX_SKEW_SECONDS: '300',
  KUMO_AUTH_FAILURES_PER_MINUTE: '30',
  KUMO_PUBLIC_HOSTS: '',
  KUMO_MAX_CONNECTIONS: '2048',
  KUMO_MAX_CONNECTIONS_PER_IP: '256',
  KUMO_HEADERS_TIMEOUT_SECONDS: '5',
  KUMO_BODY_TIMEOUT_SECONDS: '10',
  KUMO_MAX_BODY_BYTES: '262144',
  KUMO_LIBVIRT_PREFIX: 'kumo-',
  KUMO_SUBNET_BLOCK: '10.240',
  KUMO_LOCAL_HOST: 'auto',
  KUMO_LOCAL_HOST_ACCELERATOR: 'probe',
  KUMO_LOCAL_HOST_CHASSIS: '',
  KUMO_POOL_DIR: '',
  KUMO_SCHEDULER_WEIGHER: 'spread',
  KUMO_JOB_WORKERS: '4',
  KUMO_STOP_TIMEOUT_SECONDS: '60',
  KUMO_RECONCILE_INTERVAL_SECONDS: '10',
  KUMO_TASK_STALE_SECONDS: '30',
  KUMO_TASK_DEADLINE_SECONDS: '1800',
  KUMO_VNC_LISTEN: 'socket',
  KUMO_TEST_CRASH_AT: '',
  ...NETWORK_VARIABLES,
  ...STORAGE_VARIABLES,
  ...CONSOLE_VARIABLES,
  ...IMAGE_STORE_VARIABLES,
  ...BILLING_VARIABLES,
} as const;

type VariableName = keyof typeof CONFIG_VARIABLES;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Builds the Config from an environment, throwing ConfigError on the first bad value. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const get = (name: VariableName): string => {
    const v = env[name];
    return v === undefined || v === '' ? CONFIG_VARIABLES[name] : v;
  };
  const int = (name: VariableName, min: number, max: number): number => {
    const raw = get(name);
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
    }
    return Number(raw);
  };

  const listenRaw = get('KUMO_LISTEN');
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(listenRaw);
  if (!m || Number(m[3]) > 65535) throw new ConfigError(`KUMO_LISTEN must be host:port, got "${listenRaw}"`);

  const opsRaw = get('KUMO_OPS_LISTEN');
  const ops = opsRaw ? /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(opsRaw) : undefined;
  if (opsRaw && (!ops || Number(ops[3]) > 65535))
    throw new ConfigError(`KUMO_OPS_LISTEN must be host:port, got "${opsRaw}"`);

  const databaseUrl = get('DATABASE_URL') || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const regionId = get('KUMO_REGION');
  if (!REGION_ID.test(regionId)) {
    throw new ConfigError(`KUMO_REGION must look like "cn-north-1" or "local-1", got "${regionId}"`);
  }
  const defaultAz = get('KUMO_DEFAULT_AZ') || `${regionId}a`;
  if (!defaultAz.startsWith(regionId) || !/^[a-z]$/.test(defaultAz.slice(regionId.length))) {
    throw new ConfigError(`KUMO_DEFAULT_AZ must be the region id plus one letter, got "${defaultAz}"`);
  }

  const logLevel = get('KUMO_LOG_LEVEL');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`KUMO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const instanceTypesFile =
    get('KUMO_INSTANCE_TYPES') || fileURLToPath(new URL('../catalogue/instance-types.yaml', import.meta.url));
  const dataDir = get('KUMO_DATA_DIR');
  const compute = parseCompute(get, int, dataDir);
  const tls = parseTls(get);
  const hosts = publicHosts(get('KUMO_PUBLIC_HOSTS'), m[1] ?? m[2]!, Number(m[3]));
  return {
    compute,
    network: parseNetwork(get, int, compute.subnetBlock),
    storage: parseStorage(int),
    billing: parseBilling(get, int),
    console: parseConsole(get, int, tls.mode === 'on', [...hosts][0]!),
    tls,
    masterKey: get('KUMO_MASTER_KEY') || undefined,
    masterKeyPrevious: get('KUMO_MASTER_KEY_PREVIOUS') || undefined,
    imageImportDirs: importDirs(get('KUMO_IMAGE_IMPORT_DIRS'), dataDir),
    imageStore: parseImageStore(get, int, dataDir),
    imageImport: parseImageImport(get),
    hostUris: {
      keyDir: get('KUMO_HOST_KEY_DIR') || join(dataDir, 'keys'),
      allowInsecure: int('KUMO_ALLOW_INSECURE_HOSTS', 0, 1) === 1,
    },
    listen: { host: m[1] ?? m[2]!, port: Number(m[3]) },
    opsListen: ops ? { host: ops[1] ?? ops[2]!, port: Number(ops[3]) } : undefined,
    dataDir,
    databaseUrl,
    embeddedPostgresPort: int('KUMO_EMBEDDED_PG_PORT', 0, 65535),
    regionId,
    defaultAz,
    logLevel: logLevel as Config['logLevel'],
    instanceTypesFile,
    instanceTypes: loadCatalogue(instanceTypesFile),
    quotas: {
      instance: int('KUMO_QUOTA_INSTANCE', 0, 100_000),
      keypair: int('KUMO_QUOTA_KEYPAIR', 0, 100_000),
      image: int('KUMO_QUOTA_IMAGE', 0, 100_000),
      instanceTemplate: int('KUMO_QUOTA_INSTANCE_TEMPLATE', 0, 100_000),
      imageShare: int('KUMO_QUOTA_IMAGE_SHARE', 0, 100_000),
    },
    rateLimit: {
      perAccountPerMinute: int('KUMO_RATE_LIMIT_PER_MINUTE', 1, 100_000_000),
      perOperationPerMinute: int('KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE', 1, 100_000_000),
    },
    auth: {
      maxSkewSeconds: int('KUMO_AUTH_MAX_SKEW_SECONDS', 1, 3600),
      failuresPerMinute: int('KUMO_AUTH_FAILURES_PER_MINUTE', 1, 1_000_000),
      publicHosts: hosts,
    },
    frontDoor: {
      maxConnections: int('KUMO_MAX_CONNECTIONS', 1, 1_000_000),
      maxConnectionsPerIp: int('KUMO_MAX_CONNECTIONS_PER_IP', 1, 1_000_000),
      headersTimeoutMs: int('KUMO_HEADERS_TIMEOUT_SECONDS', 1, 600) * 1000,
      bodyTimeoutMs: int('KUMO_BODY_TIMEOUT_SECONDS', 1, 3600) * 1000,
    },
    maxBodyBytes: int('KUMO_MAX_BODY_BYTES', 1024, 64 * 1024 * 1024),
  };
}

/**
 * The Host values requests may be signed for: KUMO_PUBLIC_HOSTS (comma-separated names or
 * name:port; a bare name means the listen port), else the listen address and, on loopback,
 * localhost, 127.0.0.1 and [::1] with the listen port. A wildcard listen address without
 * KUMO_PUBLIC_HOSTS cannot know its names: it is a configuration error.
 */
function publicHosts(raw: string, listenHost: string, port: number): ReadonlySet<string> {
  const out = new Set<string>();
  const add = (name: string) => {
    out.add(`${name}:${port}`);
    if (port === 443 || port === 80) out.add(name);
  };
  if (raw !== '') {
    for (const item of raw.split(',').map((h) => h.trim().toLowerCase())) {
      if (!/^(\[[0-9a-f:]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(item)) {
        throw new ConfigError(`KUMO_PUBLIC_HOSTS must list host names or host:port, got "${item}"`);
      }
      if (/:\d+$/.test(item) && !item.endsWith(']')) out.add(item);
      else add(item);
    }
    return out;
  }
  const host = listenHost.includes(':') ? `[${listenHost.toLowerCase()}]` : listenHost.toLowerCase();
  if (host === '0.0.0.0' || host === '[::]') {
    throw new ConfigError(
      'KUMO_PUBLIC_HOSTS must name the host names clients use when KUMO_LISTEN is a wildcard address',
    );
  }
  add(host);
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') {
    for (const h of ['127.0.0.1', 'localhost', '[::1]']) add(h);
  }
  return out;
}

/**
 * KUMO_IMAGE_IMPORT_DIRS: colon-separated absolute directories; by default the image build cache
 * (images/build.sh) and the data directory's `images`.
 */
function importDirs(raw: string, dataDir: string): string[] {
  if (raw === '') return ['/var/cache/kumo/images', join(dataDir, 'images')];
  const dirs = raw.split(':').filter((d) => d !== '');
  for (const d of dirs) {
    if (!d.startsWith('/') || d === '/') {
      throw new ConfigError(`KUMO_IMAGE_IMPORT_DIRS must list absolute directories other than /, got "${d}"`);
    }
  }
  return dirs;
}

function parseTls(get: (name: VariableName) => string): Config['tls'] {
  const mode = get('KUMO_TLS');
  if (mode !== 'on' && mode !== 'off') throw new ConfigError(`KUMO_TLS must be on or off, got "${mode}"`);
  const certFile = get('KUMO_TLS_CERT') || undefined;
  const keyFile = get('KUMO_TLS_KEY') || undefined;
  if (mode === 'off') {
    if (certFile || keyFile) throw new ConfigError('KUMO_TLS_CERT/KUMO_TLS_KEY are set but KUMO_TLS is off');
    return { mode };
  }
  if (!certFile !== !keyFile) throw new ConfigError('set both KUMO_TLS_CERT and KUMO_TLS_KEY, or neither');
  return { mode, certFile, keyFile };
}

function parseCompute(
  get: (name: VariableName) => string,
  int: (name: VariableName, min: number, max: number) => number,
  dataDir: string,
): ComputeConfig {
  const libvirtPrefix = get('KUMO_LIBVIRT_PREFIX');
  if (!/^[a-z][a-z0-9-]{0,15}-$/.test(libvirtPrefix)) {
    throw new ConfigError(
      `KUMO_LIBVIRT_PREFIX must be lower-case letters/digits ending in "-", got "${libvirtPrefix}"`,
    );
  }
  const subnetBlock = get('KUMO_SUBNET_BLOCK');
  const octets = subnetBlock.split('.');
  if (octets.length !== 2 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) {
    throw new ConfigError(
      `KUMO_SUBNET_BLOCK must be the first two octets of a /16 like 10.240, got "${subnetBlock}"`,
    );
  }
  let localHostUri = get('KUMO_LOCAL_HOST');
  if (localHostUri === 'auto') {
    localHostUri = existsSync('/var/run/libvirt/libvirt-sock') ? 'qemu:///system' : '';
  } else if (localHostUri === 'none') {
    localHostUri = '';
  } else if (!LIBVIRT_URI.test(localHostUri)) {
    throw new ConfigError(`KUMO_LOCAL_HOST must be auto, none or a qemu libvirt URI, got "${localHostUri}"`);
  }
  const accel = get('KUMO_LOCAL_HOST_ACCELERATOR');
  if (accel !== 'kvm' && accel !== 'qemu' && accel !== 'probe') {
    throw new ConfigError(`KUMO_LOCAL_HOST_ACCELERATOR must be kvm, qemu or probe, got "${accel}"`);
  }
  const localHostChassis = get('KUMO_LOCAL_HOST_CHASSIS');
  if (localHostChassis && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(localHostChassis))
    throw new ConfigError(`KUMO_LOCAL_HOST_CHASSIS must be an OVN chassis name, got "${localHostChassis}"`);
  const weigher = get('KUMO_SCHEDULER_WEIGHER');
  if (weigher !== 'spread' && weigher !== 'pack') {
    throw new ConfigError(`KUMO_SCHEDULER_WEIGHER must be spread or pack, got "${weigher}"`);
  }
  const vncListen = get('KUMO_VNC_LISTEN');
  if (vncListen !== 'socket' && !/^[0-9a-fA-F.:]+$/.test(vncListen))
    throw new ConfigError(`KUMO_VNC_LISTEN must be socket or an IP address`);
  return {
    libvirtPrefix,
    subnetBlock,
    localHostUri,
    localHostAccelerator: accel,
    localHostChassis,
    localPoolDir: get('KUMO_POOL_DIR') || join(dataDir, 'pool'),
    weigher,
    jobWorkers: int('KUMO_JOB_WORKERS', 1, 64),
    stopTimeoutSeconds: int('KUMO_STOP_TIMEOUT_SECONDS', 0, 3600),
    reconcileIntervalSeconds: int('KUMO_RECONCILE_INTERVAL_SECONDS', 1, 3600),
    taskStaleSeconds: int('KUMO_TASK_STALE_SECONDS', 10, 3600),
    taskDeadlineSeconds: int('KUMO_TASK_DEADLINE_SECONDS', 10, 7 * 86400),
    vncListen,
    crashAtStep: get('KUMO_TEST_CRASH_AT'),
  };
}
