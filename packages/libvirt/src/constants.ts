// libvirt enum and flag values callers pass or receive (from libvirt's public headers); values only.

/** virDomainState. */
export const DomainState = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4,
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;

/** virDomainEventType (lifecycle `event`). */
export const DomainEventType = {
  DEFINED: 0,
  UNDEFINED: 1,
  STARTED: 2,
  SUSPENDED: 3,
  RESUMED: 4,
  STOPPED: 5,
  SHUTDOWN: 6,
  PMSUSPENDED: 7,
  CRASHED: 8,
} as const;

/** virConnectListAllDomainsFlags. */
export const ListDomainsFlags = {
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
} as const;

/** virDomainModificationImpact (also the values of the MEM_, VCPU_ and DEVICE_MODIFY_ flags). */
export const DomainAffect = { CURRENT: 0, LIVE: 1, CONFIG: 2 } as const;

/** Extra virDomainSetVcpusFlags / virDomainMemoryModFlags bits. */
export const VcpuFlags = { MAXIMUM: 4, GUEST: 8 } as const;
/** virDomainMemoryModFlags beyond DomainAffect. */
export const MemoryFlags = { MAXIMUM: 4 } as const;

/** virDomainUndefineFlagsValues. */
export const DomainUndefineFlags = {
  MANAGED_SAVE: 1,
  SNAPSHOTS_METADATA: 2,
  NVRAM: 4,
  KEEP_NVRAM: 8,
} as const;
/** virDomainDefineFlags. */
export const DomainDefineFlags = { VALIDATE: 1 } as const;
/** virDomainCreateFlags. */
export const DomainCreateFlags = { PAUSED: 1, AUTODESTROY: 2, BYPASS_CACHE: 4, FORCE_BOOT: 8 } as const;
/** virDomainShutdownFlagValues / virDomainRebootFlagValues. */
export const DomainShutdownFlags = {
  DEFAULT: 0,
  ACPI_POWER_BTN: 1,
  GUEST_AGENT: 2,
  INITCTL: 4,
  SIGNAL: 8,
  PARAVIRT: 16,
} as const;
/** virDomainDestroyFlagsValues. */
export const DomainDestroyFlags = { DEFAULT: 0, GRACEFUL: 1 } as const;
/** virDomainXMLFlags. */
export const DomainXmlFlags = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;
/** virDomainInterfaceAddressesSource. */
export const InterfaceAddressSource = { LEASE: 0, AGENT: 1, ARP: 2 } as const;
/** virDomainConsoleFlags. */
export const ConsoleFlags = { FORCE: 1, SAFE: 2 } as const;

/** virStoragePoolState. */
export const StoragePoolState = {
  INACTIVE: 0,
  BUILDING: 1,
  RUNNING: 2,
  DEGRADED: 3,
  INACCESSIBLE: 4,
} as const;
/** virStorageVolType. */
export const StorageVolType = { FILE: 0, BLOCK: 1, DIR: 2, NETWORK: 3, NETDIR: 4, PLOOP: 5 } as const;
/** virStorageVolCreateFlags. */
export const StorageVolCreateFlags = { PREALLOC_METADATA: 1, REFLINK: 2, VALIDATE: 4 } as const;
/** virStorageVolResizeFlags. */
export const StorageVolResizeFlags = { ALLOCATE: 1, DELTA: 2, SHRINK: 4 } as const;
/** virStorageVolDeleteFlags. */
export const StorageVolDeleteFlags = { NORMAL: 0, ZEROED: 1, WITH_SNAPSHOTS: 2 } as const;

/** virNetworkUpdateCommand. */
export const NetworkUpdateCommand = { NONE: 0, MODIFY: 1, DELETE: 2, ADD_LAST: 3, ADD_FIRST: 4 } as const;
/** virNetworkUpdateSection. */
export const NetworkUpdateSection = {
  NONE: 0,
  BRIDGE: 1,
  DOMAIN: 2,
  IP: 3,
  IP_DHCP_HOST: 4,
  IP_DHCP_RANGE: 5,
  FORWARD: 6,
  FORWARD_INTERFACE: 7,
  FORWARD_PF: 8,
  PORTGROUP: 9,
  DNS_HOST: 10,
  DNS_TXT: 11,
  DNS_SRV: 12,
} as const;
/** virNetworkUpdateFlags. */
export const NetworkUpdateFlags = { AFFECT_CURRENT: 0, AFFECT_LIVE: 1, AFFECT_CONFIG: 2 } as const;
