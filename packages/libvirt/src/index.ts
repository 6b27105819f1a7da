// Public API of @kumo/libvirt, a pure-TypeScript libvirt RPC client; re-exports only.
export { LibvirtClient, type ConnectOptions } from './client.js';
export {
  LibvirtError,
  ErrorCode,
  ErrorDomain,
  ClientErrorCode,
  isNoDomain,
  isNoNetwork,
  isNoStoragePool,
  isNoStorageVol,
  isNoNwfilter,
  isNoSecret,
  isNotFound,
  isOperationInvalid,
  isOperationFailed,
  isStorageVolExists,
  isConnectionClosed,
  type LibvirtErrorFields,
} from './errors.js';
export * from './constants.js';
export {
  EventSubscription,
  DomainEventId,
  type DomainLifecycleEvent,
  type DomainRebootEvent,
} from './events.js';
export { LibvirtStream, STREAM_CHUNK } from './stream.js';
export {
  type Domain,
  type Network,
  type NwFilter,
  type StoragePool,
  type StorageVol,
  uuidToString,
  uuidToBytes,
} from './types.js';
export type { NodeInfo, DomainCapabilitiesQuery } from './procedures/connect.js';
export type { DomainInfo, DomainStateReason, DomainBlockInfo, DomainInterface } from './procedures/domain.js';
export type { StoragePoolInfo, StorageVolInfo, VolTransferOptions } from './procedures/storage.js';
export type { DhcpLease } from './procedures/network.js';
export type { Secret } from './procedures/secret.js';
export { Proc, Feature } from './procedures/numbers.js';
export { Program, RpcConnection, type RpcOptions, type StreamHandler } from './rpc.js';
export { XdrReader, XdrWriter, XdrError, type TypedParam, type TypedParamValue } from './xdr.js';
export { FrameDecoder, PacketType, PacketStatus, type Packet, type PacketHeader } from './framing.js';
export type { Transport } from './transports/transport.js';
export { unixTransport, tcpTransport } from './transports/net.js';
export { tlsTransport, type TlsOptions } from './transports/tls.js';
export { sshTransport, knownHostsVerifier, type SshOptions } from './transports/ssh.js';
export {
  parseLibvirtUri,
  defaultUnixSocket,
  type ParsedUri,
  type TransportOverrides,
} from './transports/uri.js';
