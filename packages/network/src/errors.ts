// Errors of the network plane: bad input refused before anything reaches OVSDB, and requests the
// engine's current state refuses (an object that still has dependents, a prerequisite missing).
// OVSDB failures pass through as @kumo/ovsdb's typed errors.

/** A value that would reach OVSDB is malformed; nothing was written. */
export class PlaneInputError extends Error {
  override readonly name = 'PlaneInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The engine's state refuses the call (e.g. a VPC that still has subnets); nothing was written. */
export class PlaneStateError extends Error {
  override readonly name = 'PlaneStateError';
  constructor(
    readonly reason: 'has-dependents' | 'missing-prerequisite' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** A port did not come up in time. */
export class PortUpTimeoutError extends Error {
  override readonly name = 'PortUpTimeoutError';
  constructor(
    readonly portId: string,
    timeoutMs: number,
  ) {
    super(`port ${portId} was not up within ${timeoutMs} ms`);
  }
}
