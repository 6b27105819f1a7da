// The production compose file: valid against the Compose Specification's JSON schema, sets only
// variables kumod understands, and starts a CMD the build actually produces.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '@kumo/server';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

interface Service {
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  volumes?: string[];
}
const compose = parse(readFileSync(root('docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(root('deploy/Dockerfile'), 'utf8');

test('docker-compose.yml validates against the compose-spec JSON schema', () => {
  const schema = JSON.parse(readFileSync(root('test/fixtures/compose-spec.json'), 'utf8')) as object;
  // The schema names its draft-07 meta-schema without the trailing '#', which ajv does not map, and
  // uses union types; neither weakens the validation of the document itself.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  const validate = ajv.compile(schema);
  expect(validate(compose) ? [] : validate.errors).toEqual([]);
});

test('the schema check is not vacuous: a misspelt key is rejected', () => {
  const schema = JSON.parse(readFileSync(root('test/fixtures/compose-spec.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: false, validateSchema: false }).compile(schema);
  const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
  broken.services.kumod!.healthchek = broken.services.kumod!.healthcheck;
  expect(validate(broken)).toBe(false);
});

test('kumod gets only variables kumod understands, pointing at the postgres service', () => {
  const kumod = compose.services.kumod!;
  const env = kumod.environment!;
  for (const name of Object.keys(env)) expect(Object.keys(CONFIG_VARIABLES)).toContain(name);
  expect(new URL(env.DATABASE_URL!.replace(/\$\{[^}]+\}/g, 'x')).host).toBe('postgres:5432');
  expect(env.KUMO_LISTEN).toBe('0.0.0.0:8080');
  expect(env.KUMO_DATA_DIR).toBe('/var/lib/kumo');
  expect(env.KUMO_LOCAL_HOST).toBe('none');
  expect(kumod.volumes).toContain('kumo-data:/var/lib/kumo');
  expect(kumod.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  expect(kumod.healthcheck!.test.join(' ')).toContain('/healthz');
  expect(kumod.restart).toBe('unless-stopped');
  expect(compose.services.postgres!.healthcheck!.test.join(' ')).toContain('pg_isready');
  expect(Object.keys(compose.volumes).sort()).toEqual(['kumo-data', 'pgdata']);
  // KVM hosts are external: no libvirt socket or device is mounted into the control plane.
  expect(JSON.stringify(compose)).not.toMatch(/libvirt|\/dev\/kvm/);
});

test("the Dockerfile's CMD runs a file the build produces, as a non-root user", () => {
  const build = compose.services.kumod!.build!;
  expect(build).toEqual({ context: '.', dockerfile: 'deploy/Dockerfile' });
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  expect(cmd[0]).toBe('node');
  // The runtime stage's WORKDIR mirrors the repository layout, so the path is checked in the repo's build.
  expect(existsSync(root(cmd[1]!))).toBe(true);
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  expect(runtime).toMatch(/^COPY --from=build \/src\/packages\/server\/dist packages\/server\/dist$/m);
  expect(runtime).toMatch(/^COPY --from=build \/src\/packages\/server\/catalogue /m);
  expect(runtime).toMatch(/^RUN npm ci --omit=dev/m);
  expect(runtime).toMatch(/^USER (?!root\b|0\b)\S+$/m);
  // Every workspace the runtime installs must be a real workspace, or npm ci fails in the image.
  const workspaces = (JSON.parse(readFileSync(root('package.json'), 'utf8')) as { workspaces: string[] })
    .workspaces;
  for (const ws of workspaces) expect(runtime).toContain(`/src/${ws}/package.json ${ws}/`);
});
