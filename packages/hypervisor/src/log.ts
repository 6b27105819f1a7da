// The logger a caller hands to a Host: four levels, each taking a context object and a message, the
// call shape pino uses, so the server passes its pino logger as it is. Never writes anywhere itself.

/** Structured fields logged with a message (e.g. `{ host, err }`). */
export type LogFields = Record<string, unknown>;

/** What the hypervisor logs through; pino's `Logger` satisfies it. */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

const drop = (): void => undefined;

/** A logger that discards everything: the default when the caller passes none. */
export const silentLogger: Logger = { debug: drop, info: drop, warn: drop, error: drop };
