// Starts and stops one kumod: database (embedded or external), migrations, admin bootstrap, HTTP.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import {
  isSqlAscii,
  migrateLatest,
  openDatabase,
  RequestGuardsModel,
  type AccessKeyListener,
  type Database,
} from '@kumo/store';
import { startKeyFeed } from './auth/key-feed.js';
import { fileClock } from './billing/clock.js';
import { ConfigError, type Config } from './config.js';
import { finishInterruptedSwap, upgradeToUtf8 } from './embedded-encoding.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { createApp } from './http/app.js';
import { cvmActions } from './http/cvm/actions/index.js';
import { cbsActions } from './http/cvm/cbs/index.js';
import { vpcActions } from './http/cvm/vpc/index.js';
import { v2Actions } from './http/cvm2/actions/index.js';
import { attachConsoleProxy } from './http/console/proxy.js';
import { applyFrontDoor, SERVER_OPTIONS } from './http/front-door.js';
import { openApiDocument } from './http/openapi.js';
import { routes } from './http/routes/index.js';
import { startOpsServer } from './ops-server.js';

// The API document's version: the server package's.
const KUMO_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
import type { Logger } from './logger.js';
import { ensureSelfSigned, loadTlsIdentity, type TlsIdentity } from './tls.js';
import type { DriverRegistry } from './drivers/registry.js';
import { createWiring, type Wiring } from './wiring.js';

/** A running daemon. */
export interface Daemon {
  /** The URL clients use. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Brings kumod up; resolves once it accepts requests. */
export async function startDaemon(config: Config, log: Logger, drivers?: DriverRegistry): Promise<Daemon> {
  let embedded: EmbeddedDatabase | undefined;
  let db: Database | undefined;
  let guardsDb: Database | undefined;
  let keyFeed: AccessKeyListener | undefined;
  try {
    if (!config.databaseUrl) {
      finishInterruptedSwap(config.dataDir);
      embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort, log);
    }
    // knex's own warnings (a pooled connection the server ended, …) become log records.
    const dbLog = {
      log: (level: 'warn' | 'error' | 'deprecate', message: string) =>
        level === 'error'
          ? log.error({ component: 'knex' }, message)
          : log.warn({ component: 'knex' }, message),
    };
    // The injected test clock reaches the ledger's triggers through the sessions of this pool.
    const dbOpts = {
      ...dbLog,
      ...(config.billing.clockFile ? { clock: fileClock(config.billing.clockFile) } : {}),
    };
    db = openDatabase({ url: config.databaseUrl ?? embedded!.url, ...dbOpts });
    const { applied } = await migrateLatest(db);
    log.info({ applied }, 'database schema is current');
    if (embedded && (await isSqlAscii(embedded.url))) {
      // A cluster from before UTF-8 (see embedded-encoding.ts): moved once, then used as usual.
      await db.destroy();
      try {
        embedded = await upgradeToUtf8(config.dataDir, embedded, config.embeddedPostgresPort, log);
      } catch (err) {
        // Nothing was changed: keep serving from the old cluster and say what stands in the way.
        log.error({ err: (err as Error).message }, 'embedded database stays SQL_ASCII');
      }
      db = openDatabase({ url: embedded.url, ...dbOpts });
    }

    const databaseUrl = config.databaseUrl ?? embedded!.url;
    // Nonces and rate counters: one small pool committing asynchronously (see DatabaseOptions).
    guardsDb = openDatabase({ url: databaseUrl, poolMax: 8, asyncCommit: true, ...dbLog });
    const wiring = createWiring(db, guardsDb, databaseUrl, config, log, drivers);
    const { services } = wiring;
    keyFeed = await startKeyFeed(databaseUrl, services.authenticator, log);
    // Every secret at rest sealed under the master key (older rows once), and the key proven right.
    try {
      const sealed = await wiring.sealSecrets();
      if (sealed > 0)
        log.info(
          { sealed },
          'sealed access key secrets stored in plaintext or under the previous master key',
        );
    } catch (err) {
      throw new ConfigError(
        `the master key (KUMO_MASTER_KEY or ${config.dataDir}/master.key) does not open the secrets in this database: ${(err as Error).message}`,
      );
    }
    const tls = tlsIdentity(config);
    const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
    const endpoint = `${tls ? 'https' : 'http'}://${host}:${config.listen.port}`;
    const creds = await services.accounts.bootstrapAdmin(config.dataDir, endpoint, config.regionId);
    // The file, not the terminal or the log, holds the secret: only its path is ever printed.
    const credentialsFile = refreshCredentialsFile(config.dataDir, endpoint, tls);
    if (creds) {
      process.stderr.write(
        `\nKumo admin credentials written to ${credentialsFile} (mode 0600); access key ${creds.accessKey}\n\n`,
      );
    }
    if (tls) log.info({ certFile: tls.certFile, fingerprint256: tls.fingerprint256 }, 'serving HTTPS');

    await registerLocalHost(wiring, config, log);
    await wiring.runner.start(config.compute.jobWorkers);
    wiring.reconciler.start();
    wiring.chargeTimer.start();
    services.audit.start();
    await wiring.network.start();
    await wiring.workers.start();

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
      body: { maxBytes: config.maxBodyBytes, timeoutMs: config.frontDoor.bodyTimeoutMs },
      knownRegion: (r) => r === config.regionId || knownRegions.has(r),
      cvmActions: [...cvmActions, ...vpcActions, ...cbsActions],
      cvmV2Actions: v2Actions,
      regions: () => Promise.resolve([...new Set([config.regionId, ...knownRegions])].sort()),
      onFinished: (r) => {
        services.audit.observe(r);
        wiring.metrics.observeRequest(r);
      },
    });
    const server: Server = await new Promise((resolve, reject) => {
      const s = tls
        ? createHttpsServer({ ...SERVER_OPTIONS, cert: tls.cert, key: tls.key }, app)
        : createHttpServer(SERVER_OPTIONS, app);
      applyFrontDoor(s, config.frontDoor);
      s.once('error', reject);
      s.listen(config.listen.port, config.listen.host, () => resolve(s));
    });
    const database0 = db;
    const ops = config.opsListen
      ? await startOpsServer(
          config.opsListen,
          wiring.metrics,
          openApiDocument(routes, KUMO_VERSION),
          async () => {
            await database0.raw('SELECT 1');
          },
        )
      : undefined;
    if (config.opsListen) log.info({ opsListen: config.opsListen }, 'serving /metrics and /openapi.json');
    const consoleProxy = attachConsoleProxy(server, {
      consoles: services.consoles,
      log,
      idleSeconds: config.console.idleSeconds,
      maxBytesPerSecond: config.console.maxBytesPerSecond,
    });
    const sweeper = startSweeper(new RequestGuardsModel(guardsDb), log, () => services.consoles.sweep());
    log.info({ endpoint, regionId: config.regionId }, 'kumod is serving');

    const database = db;
    const guardsDatabase = guardsDb;
    const feed = keyFeed;
    return {
      endpoint,
      stop: async () => {
        clearInterval(sweeper);
        clearInterval(regionRefresh);
        wiring.reconciler.stop();
        await wiring.chargeTimer.stop();
        services.audit.stop();
        ops?.close();
        await wiring.network.stop();
        await wiring.workers.stop();
        consoleProxy.closeAll();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await wiring.runner.stop();
        await wiring.registry.close();
        await feed.close();
        // After the server closed: no request spends budget any more; the unused goes back.
        await services.authenticator.close();
        await guardsDatabase.destroy();
        await database.destroy();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await keyFeed?.close().catch(() => {});
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
      ...(config.compute.localHostChassis ? { chassis: config.compute.localHostChassis } : {}),
    });
    log.info(
      { hostId: host.id, uri, az: host.az, accelerator: host.accelerator },
      'registered the local host',
    );
  } catch (err) {
    log.warn({ err, uri }, 'could not register the local libvirtd as a host');
  }
}

/** The HTTPS identity the config asks for, or undefined for plain HTTP. */
function tlsIdentity(config: Config): TlsIdentity | undefined {
  if (config.tls.mode === 'off') return undefined;
  if (config.tls.certFile && config.tls.keyFile)
    return loadTlsIdentity(config.tls.certFile, config.tls.keyFile);
  return ensureSelfSigned(config.dataDir, config.listen.host);
}

/**
 * Keeps the endpoint (and, for a self-signed certificate, the CA file clients trust) in the
 * credentials file current when kumod's address or scheme changed since the file was written.
 */
function refreshCredentialsFile(dataDir: string, endpoint: string, tls: TlsIdentity | undefined): string {
  const file = join(dataDir, 'credentials.json');
  if (!existsSync(file)) return file;
  const creds = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const caFile = tls?.selfSigned ? tls.certFile : undefined;
  if (creds.endpoint === endpoint && creds.caFile === caFile) return file;
  const next = { ...creds, endpoint, caFile };
  writeFileSync(`${file}.tmp`, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return file;
}

function startSweeper(
  guards: RequestGuardsModel,
  log: Logger,
  consoleTokens: () => Promise<number>,
): NodeJS.Timeout {
  const t = setInterval(() => {
    guards.sweep(60).catch((err: unknown) => log.warn({ err }, 'nonce sweep failed'));
    consoleTokens().catch((err: unknown) => log.warn({ err }, 'console token sweep failed'));
  }, 60_000);
  t.unref();
  return t;
}
