// Public API of @kumo/hypervisor: one host through libvirt only; re-exports, no logic.
export {
  Host,
  type HostOptions,
  type PowerOffOptions,
  type InstanceSummary,
  type EventFeed,
  type ConsoleLog,
} from './host.js';
export { HypervisorError, isHypervisorError, type HypervisorErrorCode } from './errors.js';
export { silentLogger, type Logger, type LogFields } from './log.js';
export { Reverter, type Undo } from './reverter.js';
export {
  validateManifest,
  imageKey,
  type ImageManifest,
  type ImageFile,
  type ImageFiles,
  type ImageFileSource,
  type ImageBoot,
} from './image.js';
export { sha256File } from './image-cache.js';
export type {
  InstanceSpec,
  SpawnOptions,
  InstanceType,
  InstanceNic,
  OvnAttachment,
  ExtraNic,
  InstanceLogin,
  PowerState,
  InstanceEvent,
  HostCapacity,
  NetworkSpec,
} from './spec.js';
export {
  designDomain,
  designCpu,
  designProfile,
  designResize,
  designRebuild,
  designNetwork,
  designRootVolume,
  ROOT_DISK_TARGET,
  SEED_DISK_TARGET,
  type HostProfile,
  type ProfileSettings,
  type DomainPaths,
  type DomainNames,
} from './designer.js';
export { rfbServerSecurity } from './vnc/handshake.js';
export {
  buildSeedFiles,
  checkUserData,
  KEYS_FILE,
  validateSeedInputs,
  type SeedFiles,
} from './seed/cloudinit.js';
export { buildSeedIso } from './seed/iso.js';
export { domainToXml, domainFromXml, KUMO_NS, type DomainConfig } from './xml/domain.js';
export { networkToXml, networkFromXml, type NetworkConfig } from './xml/network.js';
