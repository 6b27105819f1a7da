// Typed OVSDB errors: what the server answered (RPC and per-operation errors) and what failed on this side.

/** Client-side failure kinds, for failures that never got a server answer. */
export const ClientErrorKind = {
  /** The connection closed or failed while the call was pending. */
  CONNECTION_CLOSED: 'connection-closed',
  /** The peer sent bytes that are not a JSON-RPC 1.0 message, or a message over the size bound. */
  PROTOCOL: 'protocol',
  /** The call got no answer within its timeout. */
  TIMEOUT: 'timeout',
  /** The server did not answer our inactivity probe (echo) in time. */
  KEEPALIVE_TIMEOUT: 'keepalive-timeout',
  /** The endpoint string does not parse. */
  BAD_ENDPOINT: 'bad-endpoint',
} as const;
export type ClientErrorKind = (typeof ClientErrorKind)[keyof typeof ClientErrorKind];

/** Base class of every error this package throws. */
export class OvsdbError extends Error {
  override readonly name: string = 'OvsdbError';
}

/** A failure on this side (no answer, bad bytes, timeout): `kind` says which. */
export class OvsdbClientError extends OvsdbError {
  override readonly name = 'OvsdbClientError';
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The server answered a request with `error` (e.g. `unknown database`). */
export class OvsdbRpcError extends OvsdbError {
  override readonly name = 'OvsdbRpcError';
  constructor(
    readonly method: string,
    readonly error: unknown,
  ) {
    super(`${method}: ${typeof error === 'string' ? error : JSON.stringify(error)}`);
  }
}

/** One failed operation of a transaction, as RFC 7047 §5.2 reports it. */
export interface OperationFailure {
  /** Index of the operation in the transaction (or of the commit pseudo-result past the last one). */
  index: number;
  /** The operation's `op`, or `commit` for a failure found only at commit (e.g. referential integrity). */
  op: string;
  /** OVSDB's error string, e.g. `constraint violation`, `referential integrity violation`, `timed out`. */
  error: string;
  details?: string;
}

/** A transaction the server rolled back; nothing of it was applied. */
export class OvsdbTransactionError extends OvsdbError {
  override readonly name = 'OvsdbTransactionError';
  constructor(readonly failures: OperationFailure[]) {
    const f = failures[0];
    super(
      f
        ? `transaction failed at operation ${f.index} (${f.op}): ${f.error}${f.details ? `: ${f.details}` : ''}`
        : 'transaction failed',
    );
  }

  /** The OVSDB error string of the first failure (callers test this, never the message). */
  get error(): string {
    return this.failures[0]?.error ?? '';
  }
}

/** Whether `e` means the connection is gone (the call may or may not have been applied). */
export function isConnectionClosed(e: unknown): boolean {
  return e instanceof OvsdbClientError && e.kind === ClientErrorKind.CONNECTION_CLOSED;
}

/** Whether `e` is a rolled-back transaction whose first failure is `error` (e.g. `timed out` from a wait). */
export function isTransactionError(e: unknown, error?: string): e is OvsdbTransactionError {
  return e instanceof OvsdbTransactionError && (error === undefined || e.error === error);
}
