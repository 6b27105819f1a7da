#!/usr/bin/env node
// kumod entry point: parse config once, start the daemon, stop cleanly on SIGTERM/SIGINT.
import { ConfigError, parseConfig } from './config.js';
import { startDaemon } from './daemon.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
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
    daemon = await startDaemon(config, log);
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

void main();
