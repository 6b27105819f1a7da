// Starts and stops one kumod: database (embedded or external), migrations, admin bootstrap, HTTP.
import type { Server } from 'node:http';
import { migrateLatest, openDatabase, RequestGuardsModel, type Database } from '@kumo/store';
import type { Config } from './config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { createApp } from './http/app.js';
import { routes } from './http/routes/index.js';
import type { Logger } from './logger.js';
import { createWiring, type Wiring } from './wiring.js';

/** A running daemon. */
export interface Daemon {
  /** The URL clients use. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Brings kumod up; resolves once it accepts requests. */
export async function startDaemon(config: Config, log: Logger): Promise<Daemon> {
  let embedded: EmbeddedDatabase | undefined;
  let db: Database | undefined;
  let guardsDb: Database | undefined;
  try {
    if (!config.databaseUrl)
      embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort, log);
    db = openDatabase({ url: config.databaseUrl ?? embedded!.url });
    const { applied } = await migrateLatest(db);
    log.info({ applied }, 'database schema is current');

    const databaseUrl = config.databaseUrl ?? embedded!.url;
    // Nonces and rate counters: one small pool committing asynchronously (see DatabaseOptions).
    guardsDb = openDatabase({ url: databaseUrl, poolMax: 8, asyncCommit: true });
    const wiring = createWiring(db, guardsDb, databaseUrl, config, log);
    const { services } = wiring;
    const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
    const endpoint = `http://${host}:${config.listen.port}`;
    const creds = await services.accounts.bootstrapAdmin(config.dataDir, endpoint, config.regionId);
    if (creds) {
      // Shown once, on the operator's terminal, deliberately outside the JSON log stream.
      process.stderr.write(
        `\nKumo admin credentials (also in ${config.dataDir}/credentials.json, mode 0600):\n` +
          `  access key: ${creds.accessKey}\n  secret key: ${creds.secretKey}\n  endpoint:   ${endpoint}\n\n`,
      );
    }

    await registerLocalHost(wiring, config, log);
    await wiring.runner.start(config.compute.jobWorkers);
    wiring.reconciler.start();

    // Regions exist where hosts are registered; the configured one always does.
    const knownRegions = new Set((await wiring.hostsModel.zones()).map((z) => z.regionId));
    const regionRefresh = setInterval(() => {
      wiring.hostsModel
        .zones()
        .then((zs) => zs.forEach((z) => knownRegions.add(z.regionId)))
        .catch(() => undefined);
    }, 5_000).unref();
    const app = createApp({
      services,
      routes,
      log,
      db,
      maxBodyBytes: config.maxBodyBytes,
      knownRegion: (r) => r === config.regionId || knownRegions.has(r),
    });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.listen.port, config.listen.host, () => resolve(s));
      s.on('error', reject);
    });
    server.keepAliveTimeout = 65_000;
    const sweeper = startSweeper(new RequestGuardsModel(guardsDb), log);
    log.info({ endpoint, regionId: config.regionId }, 'kumod is serving');

    const database = db;
    const guardsDatabase = guardsDb;
    return {
      endpoint,
      stop: async () => {
        clearInterval(sweeper);
        clearInterval(regionRefresh);
        wiring.reconciler.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await wiring.runner.stop();
        await wiring.registry.close();
        await guardsDatabase.destroy();
        await database.destroy();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await guardsDb?.destroy().catch(() => {});
    await db?.destroy().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw err;
  }
}

/**
 * The embedded default: on first start, with no host registered, the local libvirtd becomes a
 * host of the configured region's default AZ.
 */
async function registerLocalHost(wiring: Wiring, config: Config, log: Logger): Promise<void> {
  const uri = config.compute.localHostUri;
  if (!uri || (await wiring.hostsModel.list()).length > 0) return;
  try {
    const host = await wiring.services.hosts.add({
      name: 'local',
      uri,
      regionId: config.regionId,
      az: config.defaultAz,
      poolPath: config.compute.localPoolDir,
      accelerator: config.compute.localHostAccelerator,
      cpuRatio: 4,
      memoryRatio: 1,
      diskRatio: 4,
    });
    log.info(
      { hostId: host.id, uri, az: host.az, accelerator: host.accelerator },
      'registered the local host',
    );
  } catch (err) {
    log.warn({ err, uri }, 'could not register the local libvirtd as a host');
  }
}

function startSweeper(guards: RequestGuardsModel, log: Logger): NodeJS.Timeout {
  const t = setInterval(() => {
    guards.sweep(60).catch((err: unknown) => log.warn({ err }, 'nonce sweep failed'));
  }, 60_000);
  t.unref();
  return t;
}
