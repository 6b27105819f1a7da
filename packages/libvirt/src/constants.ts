// libvirt enum and flag values callers pass or receive, copied by value from libvirt's public headers
// (libvirt-domain.h, libvirt-network.h, libvirt-storage.h); values and their types only, no behaviour.
// Each object names the C enum it mirrors and how a key maps to the C constant, so a reader can grep
// libvirt's documentation for the exact name. Flags combine with `|`.

/** The union of an object's values: `DomainState` the type is any value of `DomainState` the object. */
type ValueOf<T> = T[keyof T];

/** virDomainState: `VIR_DOMAIN_<KEY>` (e.g. RUNNING = VIR_DOMAIN_RUNNING). */
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
export type DomainState = ValueOf<typeof DomainState>;

/** virDomainEventType, the lifecycle event's `event`: `VIR_DOMAIN_EVENT_<KEY>`. */
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
export type DomainEventType = ValueOf<typeof DomainEventType>;

/** virDomainEventStoppedDetailType, `detail` of a STOPPED event: `VIR_DOMAIN_EVENT_STOPPED_<KEY>`. */
export const DomainEventStoppedDetail = {
  /** The guest powered itself off. */
  SHUTDOWN: 0,
  /** Forced off (virDomainDestroy). */
  DESTROYED: 1,
  CRASHED: 2,
  MIGRATED: 3,
  SAVED: 4,
  FAILED: 5,
  FROM_SNAPSHOT: 6,
} as const;
export type DomainEventStoppedDetail = ValueOf<typeof DomainEventStoppedDetail>;

/** virDomainEventShutdownDetailType, `detail` of a SHUTDOWN event: `VIR_DOMAIN_EVENT_SHUTDOWN_<KEY>`. */
export const DomainEventShutdownDetail = { FINISHED: 0, GUEST: 1, HOST: 2 } as const;
export type DomainEventShutdownDetail = ValueOf<typeof DomainEventShutdownDetail>;

/** virConnectListAllDomainsFlags: `VIR_CONNECT_LIST_DOMAINS_<KEY>`; ALL (0, no filter) has no C name. */
export const ListDomainsFlags = {
  ALL: 0,
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
  OTHER: 128,
  MANAGEDSAVE: 256,
  NO_MANAGEDSAVE: 512,
  AUTOSTART: 1024,
  NO_AUTOSTART: 2048,
  HAS_SNAPSHOT: 4096,
  NO_SNAPSHOT: 8192,
} as const;
export type ListDomainsFlags = ValueOf<typeof ListDomainsFlags>;

/**
 * virDomainModificationImpact: `VIR_DOMAIN_AFFECT_<KEY>`; also the values of the `VIR_DOMAIN_MEM_`,
 * `VIR_DOMAIN_VCPU_` and `VIR_DOMAIN_DEVICE_MODIFY_` CURRENT/LIVE/CONFIG flags.
 */
export const DomainAffect = { CURRENT: 0, LIVE: 1, CONFIG: 2 } as const;
export type DomainAffect = ValueOf<typeof DomainAffect>;

/** virDomainVcpuFlags beyond DomainAffect: `VIR_DOMAIN_VCPU_<KEY>`. */
export const VcpuFlags = { MAXIMUM: 4, GUEST: 8 } as const;
export type VcpuFlags = ValueOf<typeof VcpuFlags>;

/** virDomainMemoryModFlags beyond DomainAffect: `VIR_DOMAIN_MEM_<KEY>`. */
export const MemoryFlags = { MAXIMUM: 4 } as const;
export type MemoryFlags = ValueOf<typeof MemoryFlags>;

/** virDomainUndefineFlagsValues: `VIR_DOMAIN_UNDEFINE_<KEY>`; DEFAULT (0) has no C name. */
export const DomainUndefineFlags = {
  DEFAULT: 0,
  MANAGED_SAVE: 1,
  SNAPSHOTS_METADATA: 2,
  NVRAM: 4,
  KEEP_NVRAM: 8,
  CHECKPOINTS_METADATA: 16,
} as const;
export type DomainUndefineFlags = ValueOf<typeof DomainUndefineFlags>;

/** virDomainDefineFlags: `VIR_DOMAIN_DEFINE_<KEY>`. */
export const DomainDefineFlags = { VALIDATE: 1 } as const;
export type DomainDefineFlags = ValueOf<typeof DomainDefineFlags>;

/** virDomainCreateFlags: NONE = VIR_DOMAIN_NONE, the others `VIR_DOMAIN_START_<KEY>`. */
export const DomainCreateFlags = {
  NONE: 0,
  PAUSED: 1,
  AUTODESTROY: 2,
  BYPASS_CACHE: 4,
  FORCE_BOOT: 8,
  VALIDATE: 16,
} as const;
export type DomainCreateFlags = ValueOf<typeof DomainCreateFlags>;

/**
 * virDomainShutdownFlagValues (`VIR_DOMAIN_SHUTDOWN_<KEY>`), which virDomainRebootFlagValues
 * (`VIR_DOMAIN_REBOOT_<KEY>`) repeats value for value: how the guest is asked to stop or restart.
 */
export const DomainShutdownFlags = {
  DEFAULT: 0,
  ACPI_POWER_BTN: 1,
  GUEST_AGENT: 2,
  INITCTL: 4,
  SIGNAL: 8,
  PARAVIRT: 16,
} as const;
export type DomainShutdownFlags = ValueOf<typeof DomainShutdownFlags>;

/** virDomainDestroyFlagsValues: `VIR_DOMAIN_DESTROY_<KEY>`. */
export const DomainDestroyFlags = { DEFAULT: 0, GRACEFUL: 1, REMOVE_LOGS: 2 } as const;
export type DomainDestroyFlags = ValueOf<typeof DomainDestroyFlags>;

/** virDomainXMLFlags: `VIR_DOMAIN_XML_<KEY>`; DEFAULT (0, the live definition) has no C name. */
export const DomainXmlFlags = { DEFAULT: 0, SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;
export type DomainXmlFlags = ValueOf<typeof DomainXmlFlags>;

/** virDomainInterfaceAddressesSource: `VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_<KEY>`. */
export const InterfaceAddressSource = { LEASE: 0, AGENT: 1, ARP: 2 } as const;
export type InterfaceAddressSource = ValueOf<typeof InterfaceAddressSource>;

/** virDomainConsoleFlags: `VIR_DOMAIN_CONSOLE_<KEY>`. */
export const ConsoleFlags = { FORCE: 1, SAFE: 2 } as const;
export type ConsoleFlags = ValueOf<typeof ConsoleFlags>;

/** virStoragePoolState: `VIR_STORAGE_POOL_<KEY>` (RUNNING = active and usable). */
export const StoragePoolState = {
  INACTIVE: 0,
  BUILDING: 1,
  RUNNING: 2,
  DEGRADED: 3,
  INACCESSIBLE: 4,
} as const;
export type StoragePoolState = ValueOf<typeof StoragePoolState>;

/** virStoragePoolBuildFlags: `VIR_STORAGE_POOL_BUILD_<KEY>`. */
export const StoragePoolBuildFlags = { NEW: 0, REPAIR: 1, RESIZE: 2, NO_OVERWRITE: 4, OVERWRITE: 8 } as const;
export type StoragePoolBuildFlags = ValueOf<typeof StoragePoolBuildFlags>;

/** virStorageVolType: `VIR_STORAGE_VOL_<KEY>`. */
export const StorageVolType = { FILE: 0, BLOCK: 1, DIR: 2, NETWORK: 3, NETDIR: 4, PLOOP: 5 } as const;
export type StorageVolType = ValueOf<typeof StorageVolType>;

/** virStorageVolCreateFlags: `VIR_STORAGE_VOL_CREATE_<KEY>`. */
export const StorageVolCreateFlags = { PREALLOC_METADATA: 1, REFLINK: 2, VALIDATE: 4 } as const;
export type StorageVolCreateFlags = ValueOf<typeof StorageVolCreateFlags>;

/** virStorageVolResizeFlags: `VIR_STORAGE_VOL_RESIZE_<KEY>`. */
export const StorageVolResizeFlags = { ALLOCATE: 1, DELTA: 2, SHRINK: 4 } as const;
export type StorageVolResizeFlags = ValueOf<typeof StorageVolResizeFlags>;

/** virStorageVolDeleteFlags: `VIR_STORAGE_VOL_DELETE_<KEY>`. */
export const StorageVolDeleteFlags = { NORMAL: 0, ZEROED: 1, WITH_SNAPSHOTS: 2 } as const;
export type StorageVolDeleteFlags = ValueOf<typeof StorageVolDeleteFlags>;

/** virConnectListAllNetworksFlags: `VIR_CONNECT_LIST_NETWORKS_<KEY>`; ALL (0, no filter) has no C name. */
export const ListNetworksFlags = {
  ALL: 0,
  INACTIVE: 1,
  ACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  AUTOSTART: 16,
  NO_AUTOSTART: 32,
} as const;
export type ListNetworksFlags = ValueOf<typeof ListNetworksFlags>;

/** virNetworkXMLFlags: `VIR_NETWORK_XML_<KEY>`; DEFAULT (0, the live definition) has no C name. */
export const NetworkXmlFlags = { DEFAULT: 0, INACTIVE: 1 } as const;
export type NetworkXmlFlags = ValueOf<typeof NetworkXmlFlags>;

/** virNetworkUpdateCommand: `VIR_NETWORK_UPDATE_COMMAND_<KEY>`. */
export const NetworkUpdateCommand = { NONE: 0, MODIFY: 1, DELETE: 2, ADD_LAST: 3, ADD_FIRST: 4 } as const;
export type NetworkUpdateCommand = ValueOf<typeof NetworkUpdateCommand>;

/** virNetworkUpdateSection: `VIR_NETWORK_SECTION_<KEY>`. */
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
export type NetworkUpdateSection = ValueOf<typeof NetworkUpdateSection>;

/** virNetworkUpdateFlags: `VIR_NETWORK_UPDATE_<KEY>` (e.g. AFFECT_LIVE = VIR_NETWORK_UPDATE_AFFECT_LIVE). */
export const NetworkUpdateFlags = { AFFECT_CURRENT: 0, AFFECT_LIVE: 1, AFFECT_CONFIG: 2 } as const;
export type NetworkUpdateFlags = ValueOf<typeof NetworkUpdateFlags>;

/** `parentIndex` of virNetworkUpdate meaning "whichever element matches" (libvirt documents -1). */
export const NETWORK_UPDATE_ANY_PARENT = -1;

/** What a secret is for (virSecretUsageType). */
export const SecretUsageType = { NONE: 0, VOLUME: 1, CEPH: 2, ISCSI: 3, TLS: 4, VTPM: 5 } as const;

/** virDomainBlockResizeFlags: BYTES takes the size in bytes instead of KiB. */
export const BlockResizeFlags = { BYTES: 1 } as const;
