// The production compose file and image, checked against what kumod and the build really need: the
// environment parses with kumod's own config parser, ports, volumes and credentials line up across
// compose, the Dockerfile and the postgres service, the healthcheck command really tells a serving
// kumod from a stopped one, and the runtime image holds every file and package kumod loads.
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, parseConfig } from '@kumo/server';
import { importsOf } from '../../scripts/import-rules.mjs';
import { startKumodOnTestDatabase } from '../support/kumod.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const root = (p: string) => join(ROOT, p);

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  restart?: string;
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}
const compose = parse(readFileSync(root('docker-compose.yml'), 'utf8')) as Compose;
const kumod = compose.services.kumod!;
const dockerfile = readFileSync(root('deploy/Dockerfile'), 'utf8');
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

/**
 * Compose's variable interpolation for the forms the file uses (`${NAME}`, `${NAME:-default}`); any
 * other `$` form fails the test rather than being read wrongly.
 */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}|\$(.)/g,
    (whole, name?: string, def?: string) => {
      if (!name) throw new Error(`unsupported interpolation ${whole} in ${value}`);
      return env[name] || def || '';
    },
  );
}
const environment = (s: Service, env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]));

/** Dockerfile instruction arguments in the runtime stage, e.g. all `EXPOSE` lines' words. */
const instruction = (name: string) =>
  [...runtime.matchAll(new RegExp(`^${name} (.+)$`, 'gm'))].flatMap((m) => m[1]!.trim().split(/\s+/));

/** The node -e healthcheck program, run as Docker would (with the port pointed elsewhere). */
/** Runs the healthcheck against a kumod on `port` whose data directory is `dataDir`. */
function runHealthcheck(port: number, dataDir: string): number | null {
  const [cmd, ...argv] = kumod.healthcheck!.test;
  expect(cmd).toBe('CMD');
  const args = argv
    .slice(1)
    .map((a) =>
      a.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`).replaceAll('/var/lib/kumo/', `${dataDir}/`),
    );
  return spawnSync(process.execPath, args, { timeout: 15_000 }).status;
}

describe('the compose file', () => {
  const schema = JSON.parse(readFileSync(root('test/fixtures/compose-spec.json'), 'utf8')) as object;
  // The schema names its draft-07 meta-schema without the trailing '#', which ajv does not map, and
  // uses union types; neither weakens the validation of the document itself.
  const validate = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(schema);

  test('validates against the compose-spec JSON schema, which rejects a misspelt key', () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    const broken = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    broken.services.kumod!.healthchek = broken.services.kumod!.healthcheck;
    expect(validate(broken)).toBe(false);
  });

  test("kumod's environment is one kumod accepts, with defaults and with every variable overridden", () => {
    for (const name of Object.keys(kumod.environment ?? {}))
      expect(Object.keys(CONFIG_VARIABLES)).toContain(name);
    const overrides = { KUMO_DB_PASSWORD: 's3cret', KUMO_REGION: 'eu-west-2', KUMO_LOG_LEVEL: 'debug' };
    for (const env of [{}, overrides] as Record<string, string>[]) {
      const config = parseConfig(environment(kumod, env));
      // Reachable through the published port, and no libvirt socket probed inside the container.
      expect(config.listen.host).toBe('0.0.0.0');
      expect(config.compute.localHostUri).toBe('');
      expect(config.databaseUrl).toBeDefined();
    }
    expect(parseConfig(environment(kumod, overrides)).regionId).toBe('eu-west-2');
  });

  test('kumod logs into the database the postgres service creates, once it is healthy', () => {
    for (const env of [{}, { KUMO_DB_PASSWORD: 'p@ss' }] as Record<string, string>[]) {
      const url = new URL(parseConfig(environment(kumod, env)).databaseUrl!);
      const db = compose.services[url.hostname];
      expect(db).toBeDefined();
      const dbEnv = environment(db!, env);
      expect({
        user: url.username,
        password: decodeURIComponent(url.password),
        db: url.pathname.slice(1),
      }).toEqual({
        user: dbEnv.POSTGRES_USER,
        password: dbEnv.POSTGRES_PASSWORD,
        db: dbEnv.POSTGRES_DB,
      });
      // The official image listens on the default port; kumod must wait for its healthcheck.
      expect(url.port || '5432').toBe('5432');
      expect(kumod.depends_on?.[url.hostname]).toEqual({ condition: 'service_healthy' });
      const check = db!.healthcheck!.test.join(' ');
      expect(check).toContain(`pg_isready -U ${dbEnv.POSTGRES_USER} -d ${dbEnv.POSTGRES_DB}`);
    }
  });

  test("the published port, the image's EXPOSE and the healthcheck all use kumod's listen port", () => {
    const { port } = parseConfig(environment(kumod)).listen;
    expect(kumod.ports?.map((p) => interpolate(p, {}).split(':').at(-1))).toEqual([String(port)]);
    expect(instruction('EXPOSE')).toContain(String(port));
    // kumod serves HTTPS in the container (KUMO_TLS on): the check speaks it, trusting kumod's certificate.
    const config = parseConfig(environment(kumod));
    expect(config.tls.mode).toBe('on');
    expect(kumod.healthcheck!.test.join(' ')).toContain(`https://127.0.0.1:${port}/healthz`);
    expect(kumod.healthcheck!.test.join(' ')).toContain(`${config.dataDir}/tls/kumod.crt`);
  });

  test("kumod's data directory is a named volume, the image's VOLUME, owned by the image's user", () => {
    const { dataDir } = parseConfig(environment(kumod));
    const mounts = (kumod.volumes ?? []).map((v) => v.split(':'));
    const named = mounts.find(([, target]) => target === dataDir)?.[0];
    expect(Object.keys(compose.volumes)).toContain(named);
    expect(JSON.parse(instruction('VOLUME').join(' ')) as string[]).toContain(dataDir);
    const user = instruction('USER')[0];
    expect(user).toMatch(/^(?!root$|0$)\S+$/);
    expect(runtime).toMatch(new RegExp(`^RUN .*chown ${user}:${user} ${dataDir}$`, 'm'));
    // The image's own defaults agree with compose, so `docker run` without compose works the same.
    const imageEnv = Object.fromEntries(instruction('ENV').map((kv) => kv.split('=') as [string, string]));
    expect(parseConfig(imageEnv)).toMatchObject({ listen: parseConfig(environment(kumod)).listen, dataDir });
  });

  test('both services come back after a reboot, and the database outlives its container', () => {
    for (const s of Object.values(compose.services)) expect(s.restart).toBe('unless-stopped');
    // PGDATA of the official postgres image.
    const pg = compose.services[new URL(parseConfig(environment(kumod)).databaseUrl!).hostname]!;
    const data = (pg.volumes ?? [])
      .map((v) => v.split(':'))
      .find(([, t]) => t === '/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain(data?.[0]);
  });

  test('KVM hosts stay external: no libvirt socket or device is mounted into the control plane', () => {
    expect(JSON.stringify(compose)).not.toMatch(/libvirt|\/dev\/kvm/);
  });
});

describe('the healthcheck command', () => {
  test('passes against a serving kumod and fails once it has stopped', async () => {
    // As in the container: HTTPS with the certificate kumod made in its data directory.
    const k = await startKumodOnTestDatabase({ KUMO_TLS: 'on' });
    try {
      const port = Number(new URL(k.endpoint).port);
      expect(runHealthcheck(port, k.dataDir)).toBe(0);
      await k.stop();
      expect(runHealthcheck(port, k.dataDir)).toBe(1);
    } finally {
      await k.cleanup();
    }
  }, 60_000);
});

describe('the image', () => {
  const workspaces = (JSON.parse(readFileSync(root('package.json'), 'utf8')) as { workspaces: string[] })
    .workspaces;

  test('builds from the compose build section and runs, as its CMD, a file the build produces', () => {
    expect(kumod.build).toEqual({ context: '.', dockerfile: 'deploy/Dockerfile' });
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]!) as string[];
    expect(cmd[0]).toBe('node');
    // The runtime stage's WORKDIR mirrors the repository layout, so the path is checked in the repo's build.
    expect(existsSync(root(cmd[1]!))).toBe(true);
    expect(runtime).toMatch(new RegExp(`^COPY --from=build /src/${cmd[1]!.replace(/\/[^/]+$/, '')} `, 'm'));
  });

  test("ships every workspace's manifest and build output, and the instance type catalogue kumod reads", () => {
    for (const ws of workspaces) {
      expect(runtime).toContain(`COPY --from=build /src/${ws}/package.json ${ws}/`);
      expect(runtime).toContain(`COPY --from=build /src/${ws}/dist ${ws}/dist`);
    }
    // The default catalogue path kumod resolves at startup, relative to the repository.
    const catalogue = relative(ROOT, parseConfig({}).instanceTypesFile).replace(/\/[^/]+$/, '');
    expect(runtime).toMatch(new RegExp(`^COPY --from=build /src/${catalogue} ${catalogue}$`, 'm'));
    expect(runtime).toMatch(/^RUN npm ci --omit=dev/m);
  });

  test('every package a shipped workspace imports at runtime is one of its production dependencies', () => {
    // `npm ci --omit=dev` installs only `dependencies`: a runtime import of anything else crashes the image.
    const builtins = new Set(builtinModules);
    const missing: string[] = [];
    for (const ws of workspaces) {
      const manifest = JSON.parse(readFileSync(root(`${ws}/package.json`), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const deps = new Set(Object.keys(manifest.dependencies ?? {}));
      for (const file of sourceFiles(root(`${ws}/src`))) {
        for (const ref of importsOf(file, readFileSync(file, 'utf8'))) {
          if (ref.typeOnly || ref.specifier.startsWith('.') || ref.specifier.startsWith('node:')) continue;
          const name = ref.specifier
            .split('/')
            .slice(0, ref.specifier.startsWith('@') ? 2 : 1)
            .join('/');
          if (!builtins.has(name) && !deps.has(name)) missing.push(`${relative(ROOT, file)}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

/** Non-test TypeScript sources under a directory. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name) ? [path] : [];
  });
}
