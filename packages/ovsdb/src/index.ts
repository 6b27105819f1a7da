// Public API of @kumo/ovsdb, a small typed OVSDB (RFC 7047) client; re-exports only.
export {
  OvsdbClient,
  type ConnectOptions,
  type CallOptions,
  type Monitor,
  type MonitorRequest,
  type RowUpdate,
  type TableUpdates,
} from './client.js';
export {
  OvsdbError,
  OvsdbClientError,
  OvsdbRpcError,
  OvsdbTransactionError,
  ClientErrorKind,
  isConnectionClosed,
  isTransactionError,
  type OperationFailure,
} from './errors.js';
export {
  uuid,
  namedUuid,
  set,
  map,
  atomsOf,
  uuidsOf,
  uuidOf,
  stringsOf,
  optionalOf,
  recordOf,
  type Atom,
  type Datum,
  type Row,
  type SetDatum,
  type MapDatum,
  type UuidAtom,
  type NamedUuidAtom,
} from './datum.js';
export {
  op,
  eq,
  includes,
  byUuid,
  type Condition,
  type Mutation,
  type Operation,
  type InsertOp,
  type SelectOp,
  type UpdateOp,
  type MutateOp,
  type DeleteOp,
  type WaitOp,
  type CommentOp,
  type ResultOf,
  type ResultsOf,
  type SelectedRow,
} from './operations.js';
export {
  parseEndpoint,
  describe as describeEndpoint,
  type Endpoint,
  type TlsCredentials,
} from './endpoint.js';
export { MessageDecoder, DEFAULT_MAX_MESSAGE_BYTES } from './framing.js';
export { RpcConnection, type RpcOptions } from './rpc.js';
