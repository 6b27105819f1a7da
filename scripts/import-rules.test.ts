// The import-direction rules: what each package and each server layer may import, what counts as a
// type-only import, and that every import form is seen.
import { KNOWN_VIOLATIONS, importsOf, locate, violation } from './import-rules.mjs';

const imp = (specifier: string, typeOnly = false) => ({ specifier, typeOnly, line: 1 });
const S = 'packages/server/src';

describe('packages', () => {
  test.each([
    ['packages/store/src/models/x.ts', '@kumo/contract'],
    ['packages/cli/src/main.ts', '@kumo/client'],
    ['packages/cli/src/main.ts', '@kumo/contract'],
    ['packages/hypervisor/src/host.ts', '@kumo/libvirt'],
    ['packages/server/src/daemon.ts', '@kumo/store'],
    ['packages/contract/src/wire.ts', 'zod'],
    ['packages/contract/src/wire.ts', 'node:crypto'],
    ['packages/scheduler/src/place.ts', '@kumo/scheduler'],
  ])('%s may import %s', (from, spec) => {
    expect(violation(from, imp(spec))).toBeUndefined();
  });

  test.each([
    ['packages/contract/src/wire.ts', '@kumo/store', 'contract may not import @kumo/store (allowed: none)'],
    [
      'packages/libvirt/src/rpc.ts',
      '@kumo/hypervisor',
      'libvirt may not import @kumo/hypervisor (allowed: none)',
    ],
    ['packages/store/src/db.ts', '@kumo/server', 'store may not import @kumo/server (allowed: contract)'],
    // Skipping a level: the CLI talks to kumod only through the client.
    [
      'packages/cli/src/main.ts',
      '@kumo/server',
      'cli may not import @kumo/server (allowed: client, contract)',
    ],
    ['packages/cli/src/main.ts', '@kumo/store', 'cli may not import @kumo/store (allowed: client, contract)'],
    ['packages/client/src/client.ts', '@kumo/cli', 'client may not import @kumo/cli (allowed: contract)'],
    [
      'packages/hypervisor/src/x.ts',
      '@kumo/store',
      'hypervisor may not import @kumo/store (allowed: libvirt)',
    ],
    [
      'packages/newthing/src/x.ts',
      '@kumo/contract',
      'package newthing is not in the package table (scripts/import-rules.mjs)',
    ],
  ])('%s may not import %s', (from, spec, why) => {
    expect(violation(from, imp(spec))).toBe(why);
  });

  test('a type-only import is still an import between packages', () => {
    expect(violation('packages/contract/src/wire.ts', imp('@kumo/store', true))).toMatch(/may not import/);
  });

  test('code reaches another package only by name; tests may use the shared test support', () => {
    expect(violation('packages/cli/src/main.ts', imp('../../client/src/client.js'))).toBe(
      'reaches into package client by path; import it by name',
    );
    expect(violation('packages/store/src/db.ts', imp('../../../test/support/database.js'))).toMatch(
      /by path/,
    );
    expect(
      violation('packages/store/test/models.test.ts', imp('../../../test/support/database.js')),
    ).toBeUndefined();
    expect(
      violation('packages/contract/src/x.test.ts', imp('../../../test/api/support/signer.js')),
    ).toBeUndefined();
    // Test support of another package still follows the package table.
    expect(
      violation('packages/server/test/x.test.ts', imp('../../hypervisor/test/support.js')),
    ).toBeUndefined();
    expect(violation('packages/store/test/x.test.ts', imp('../../hypervisor/test/support.js'))).toMatch(
      /store may not import @kumo\/hypervisor/,
    );
  });

  test('end-to-end suites and benches outside packages/ may import anything', () => {
    expect(violation('test/api/cli.test.ts', imp('@kumo/server'))).toBeUndefined();
    expect(violation('bench/x/bench.ts', imp('../../packages/store/src/index.js'))).toBeUndefined();
  });
});

describe('server layers', () => {
  test.each([
    ['http/routes/instances/describeInstances.ts', '../../../services/instances.js'],
    ['http/routes/instances/describeInstances.ts', '../../views/instance-view.js'],
    ['http/app.ts', '../auth/authenticate.js'],
    ['http/app.ts', '../logger.js'],
    ['services/instances.ts', '../jobs/runner.js'],
    ['services/instances.ts', '../compute/lifecycle.js'],
    ['services/instances.ts', '../drivers/host-driver.js'],
    ['jobs/tasks/spawn.ts', '../../compute/placement.js'],
    ['reconcile/reconciler.ts', '../jobs/runner.js'],
    ['compute/host-registry.ts', '../drivers/host-driver.js'],
    ['compute/host-registry.ts', '../config.js'],
    ['config.ts', './catalogue.js'],
    ['wiring.ts', './reconcile/reconciler.js'],
    ['wiring.ts', './http/app.js'],
    ['services/instances.test.ts', '../testing/fake-host.js'],
    ['testing/fake-host.ts', '../drivers/host-driver.js'],
  ])('%s may import %s', (from, spec) => {
    expect(violation(`${S}/${from}`, imp(spec))).toBeUndefined();
  });

  test.each([
    // Upward.
    [
      'compute/instance-view.ts',
      '../services/time.js',
      'server/compute may not import services/ (allowed: drivers)',
    ],
    [
      'jobs/instance-spec.ts',
      '../services/images.js',
      'server/jobs may not import services/ (allowed: compute, drivers)',
    ],
    [
      'jobs/runner.ts',
      '../reconcile/reconciler.js',
      'server/jobs may not import reconcile/ (allowed: compute, drivers)',
    ],
    [
      'services/x.ts',
      '../http/route.js',
      'server/services may not import http/ (allowed: auth, jobs, compute, drivers)',
    ],
    [
      'drivers/x.ts',
      '../compute/lifecycle.js',
      'server/drivers may not import compute/ (allowed: top-level modules only)',
    ],
    // Skipping: a route goes through a service.
    [
      'http/routes/instances/describeInstances.ts',
      '../../../compute/instance-view.js',
      'server/http may not import compute/ (allowed: services, auth)',
    ],
    ['http/route.ts', '../jobs/runner.js', 'server/http may not import jobs/ (allowed: services, auth)'],
    // Only the composition root builds the reconciler.
    [
      'services/index.ts',
      '../reconcile/reconciler.js',
      'server/services may not import reconcile/ (allowed: auth, jobs, compute, drivers)',
    ],
    ['services/x.ts', '../wiring.js', 'server/services may not import the composition root or entry points'],
    [
      'logger.ts',
      './services/time.js',
      'server top-level module may import only other top-level modules, not services/',
    ],
    [
      'services/x.ts',
      '../testing/fake-host.js',
      'server/testing is for tests only (packages/server/src/services/x.ts is not a test)',
    ],
  ])('%s may not import %s', (from, spec, why) => {
    expect(violation(`${S}/${from}`, imp(spec))).toBe(why);
  });

  test('http sees store records only as types, and never an engine package', () => {
    expect(violation(`${S}/http/app.ts`, imp('@kumo/store', true))).toBeUndefined();
    expect(violation(`${S}/http/app.ts`, imp('@kumo/store'))).toBe(
      'server/http may import only types from @kumo/store (use import type)',
    );
    expect(violation(`${S}/http/app.ts`, imp('@kumo/hypervisor', true))).toBe(
      'server/http may not import @kumo/hypervisor',
    );
    expect(violation(`${S}/services/images.ts`, imp('@kumo/hypervisor'))).toBeUndefined();
  });

  test('locate names the layer by the first path segment', () => {
    expect(locate(`${S}/http/routes/a/b.ts`)).toEqual({ pkg: 'server', test: false, layer: 'http' });
    expect(locate(`${S}/wiring.ts`)).toEqual({ pkg: 'server', test: false, layer: 'ROOT' });
    expect(locate(`${S}/config.ts`)).toEqual({ pkg: 'server', test: false, layer: 'LEAF' });
    expect(locate(`${S}/jobs/x.test.ts`)).toEqual({ pkg: 'server', test: true, layer: 'jobs' });
    expect(locate('packages/store/test/x.ts')).toEqual({ pkg: 'store', test: true, layer: undefined });
  });
});

describe('importsOf', () => {
  test('sees every import form and which ones are erased at runtime', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import { type C, type D } from 'c';",
      "import { type E, f } from 'e';",
      "import 'side-effect';",
      "export { g } from 'g';",
      "export type { H } from 'h';",
      "export * from 'star';",
      "const m = await import('dyn');",
      "type T = import('typ').T;",
      "const s = 'not-an-import';",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: 'a', typeOnly: false, line: 1 },
      { specifier: 'b', typeOnly: true, line: 2 },
      { specifier: 'c', typeOnly: true, line: 3 },
      { specifier: 'e', typeOnly: false, line: 4 },
      { specifier: 'side-effect', typeOnly: false, line: 5 },
      { specifier: 'g', typeOnly: false, line: 6 },
      { specifier: 'h', typeOnly: true, line: 7 },
      { specifier: 'star', typeOnly: false, line: 8 },
      { specifier: 'dyn', typeOnly: false, line: 9 },
      { specifier: 'typ', typeOnly: true, line: 10 },
    ]);
  });
});

test('no import is excused from the rules', () => {
  expect(KNOWN_VIOLATIONS).toEqual([]);
});

test('the testing folder may use itself; other server code may not use it', () => {
  expect(
    violation('packages/server/src/testing/fake-tasks.ts', imp('./fake-host-driver.js')),
  ).toBeUndefined();
  expect(
    violation('packages/server/src/services/instances.ts', imp('../testing/fake-host-driver.js')),
  ).toMatch(/for tests only/);
});
