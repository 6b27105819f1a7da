// describeInstanceTypes end to end: the default catalogue, the instanceTypes filter, an operator
// catalogue replacing the default, and a bad catalogue stopping kumod with exit 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { KUMOD_MAIN, newAccount, removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

const work = mkdtempSync(join(tmpdir(), 'kumo-types-'));
const started: { kumod: KumodProcess; dbUrl: string }[] = [];

async function kumodWith(env: Record<string, string>): Promise<KumoClient> {
  const dbUrl = await createTestDatabase();
  const kumod = await startKumod({ DATABASE_URL: dbUrl, ...env });
  started.push({ kumod, dbUrl });
  return newAccount(kumod, 'typer');
}

let user: KumoClient;
beforeAll(async () => {
  user = await kumodWith({});
}, 60_000);

afterAll(async () => {
  for (const { kumod, dbUrl } of started) {
    await kumod.stop();
    removeDataDir(kumod.dataDir);
    await dropTestDatabase(dbUrl);
  }
  rmSync(work, { recursive: true, force: true });
});

test('the default catalogue is served with every JD field', async () => {
  const r = await user.describeInstanceTypes();
  expect(r.totalCount).toBe(r.instanceTypes.length);
  expect(new Set(r.instanceTypes.map((t) => t.family))).toEqual(
    new Set(['t.n1', 'g.n2', 'c.n2', 'm.n2', 'v.n1']),
  );
  for (const t of r.instanceTypes) {
    expect(t).toEqual({
      family: expect.any(String),
      instanceType: expect.stringMatching(new RegExp(`^${t.family.replace('.', '\\.')}\\.[a-z0-9]+$`)),
      cpu: expect.any(Number),
      memoryMB: expect.any(Number),
      nicLimit: expect.any(Number),
      desc: expect.any(String),
      // Which AZs have room depends on hosts, which this test has none of.
      state: expect.any(Array),
      gpu: { model: '', number: 0 },
      localDisks: [],
    });
    expect(t.cpu).toBeGreaterThanOrEqual(1);
    expect(t.memoryMB).toBeGreaterThanOrEqual(128);
  }
  expect(r.instanceTypes.find((t) => t.instanceType === 'g.n2.large')).toMatchObject({
    family: 'g.n2',
    cpu: 2,
    memoryMB: 8192,
    nicLimit: 2,
  });
});

test('the instanceTypes filter selects exactly the named types', async () => {
  const named = ['t.n1.micro', 'c.n2.xlarge', 'v.n1.large'];
  const r = await user.describeInstanceTypes({ filters: [{ name: 'instanceTypes', values: named }] });
  expect(r.instanceTypes.map((t) => t.instanceType).sort()).toEqual([...named].sort());
  expect(r.totalCount).toBe(3);

  const none = await user.describeInstanceTypes({
    filters: [{ name: 'instanceTypes', values: ['x.n9.huge'] }],
  });
  expect(none).toMatchObject({ instanceTypes: [], totalCount: 0 });
});

test('an operator catalogue given with KUMO_INSTANCE_TYPES replaces the default', async () => {
  const file = join(work, 'types.yaml');
  writeFileSync(
    file,
    [
      'families:',
      '  - family: lab.n1',
      '    desc: Lab boxes',
      '    types:',
      '      - { instanceType: lab.n1.one, cpu: 1, memoryMB: 768, nicLimit: 1 }',
      '      - { instanceType: lab.n1.two, cpu: 2, memoryMB: 1536, nicLimit: 2, desc: Two of them }',
      '',
    ].join('\n'),
  );
  const operator = await kumodWith({ KUMO_INSTANCE_TYPES: file });
  const r = await operator.describeInstanceTypes();
  expect(r.totalCount).toBe(2);
  expect(r.instanceTypes.map((t) => ({ ...t, state: [] }))).toEqual([
    {
      family: 'lab.n1',
      instanceType: 'lab.n1.one',
      cpu: 1,
      memoryMB: 768,
      nicLimit: 1,
      desc: expect.stringContaining('Lab boxes'),
      state: [],
      gpu: { model: '', number: 0 },
      localDisks: [],
    },
    {
      family: 'lab.n1',
      instanceType: 'lab.n1.two',
      cpu: 2,
      memoryMB: 1536,
      nicLimit: 2,
      desc: 'Two of them',
      state: [],
      gpu: { model: '', number: 0 },
      localDisks: [],
    },
  ]);
}, 60_000);

test.each([
  ['not YAML at all', 'families: [unclosed\n'],
  ['no families', 'families: []\n'],
  [
    'a zero-CPU type',
    'families:\n  - { family: z.n1, desc: d, types: [{ instanceType: z.n1.a, cpu: 0, memoryMB: 512, nicLimit: 1 }] }\n',
  ],
  [
    'a type outside its family',
    'families:\n  - { family: z.n1, desc: d, types: [{ instanceType: q.n1.a, cpu: 1, memoryMB: 512, nicLimit: 1 }] }\n',
  ],
  [
    'a type listed twice',
    'families:\n  - { family: z.n1, desc: d, types: [{ instanceType: z.n1.a, cpu: 1, memoryMB: 512, nicLimit: 1 }, { instanceType: z.n1.a, cpu: 2, memoryMB: 512, nicLimit: 1 }] }\n',
  ],
])('a catalogue with %s stops kumod with exit 2 naming KUMO_INSTANCE_TYPES', (_what, text) => {
  const file = join(work, `bad-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [KUMOD_MAIN], {
    env: {
      PATH: process.env.PATH,
      KUMO_DATA_DIR: mkdtempSync(join(work, 'data-')),
      // Nothing listens there: the catalogue must be refused before any database I/O.
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
      KUMO_INSTANCE_TYPES: file,
    },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('KUMO_INSTANCE_TYPES');
});
