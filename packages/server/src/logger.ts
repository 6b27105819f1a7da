// Structured JSON logging (pino). Request logs carry ids and outcomes, never headers, bodies or secrets.
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** Creates the process logger. */
export function createLogger(level: Config['logLevel']): Logger {
  // Asynchronous writes keep logging off the request path; pino flushes the buffer on exit.
  return pino(
    { level, base: { service: 'kumod' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ sync: false }),
  );
}
