// Runs kumod as a process: parse config once, start the daemon with the given drivers, stop
// cleanly on SIGTERM/SIGINT. main.ts runs it with the built-in drivers; test-main.ts with the
// test drivers added.
import { ConfigError, parseConfig } from './config.js';
import { startDaemon } from './daemon.js';
import type { DriverRegistry } from './drivers/registry.js';
import { createLogger } from './logger.js';

/** Runs kumod until a signal stops it. */
export async function runKumod(drivers: DriverRegistry): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kumod: bad configuration: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let daemon;
  try {
    daemon = await startDaemon(config, log, drivers);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kumod: bad configuration: ${err.message}\n`);
      process.exit(2);
    }
    log.fatal({ err }, 'kumod failed to start');
    // The JSON log may be buffered or redirected: the cause also goes to stderr, plainly.
    const cause = err instanceof Error ? err.message : String(err);
    process.stderr.write(`kumod: failed to start: ${cause}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'kumod stopping');
    daemon
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'unclean stop');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
