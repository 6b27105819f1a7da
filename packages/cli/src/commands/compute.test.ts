// Unit tests for the compute command groups on a fake fetch: request bodies and queries, --wait with
// a fake clock, partial failures, and the ssh command line handed to the injected runner.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KumoClient } from '@kumo/client';
import { runCli } from '../program.js';
import type { CliIo } from '../context.js';

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** A CLI wired to a fake API: `route` answers each call with [status, result-or-error]. */
function harness(route: (c: Call) => [number, unknown]) {
  const calls: Call[] = [];
  let out = '';
  let err = '';
  let t = 0;
  const runs: { command: string; args: string[] }[] = [];
  const fakeFetch = (async (input: URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = init?.body ? (JSON.parse(String(init.body)) as unknown) : undefined;
    const c = { method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams, body };
    calls.push(c);
    const [status, payload] = route(c);
    const envelope =
      status < 300
        ? { requestId: 'r', result: payload }
        : { requestId: 'r', error: { code: status, ...(payload as object) } };
    return new Response(JSON.stringify(envelope), { status });
  }) as typeof fetch;
  const io: CliIo = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    makeClient: (o) =>
      new KumoClient({
        endpoint: 'http://127.0.0.1:8080',
        regionId: o.region ?? 'local-1',
        accessKey: 'a',
        secretKey: 's',
        fetch: fakeFetch,
      }),
    run: async (command, args) => {
      runs.push({ command, args });
      return 3;
    },
    home: mkdtempSync(join(tmpdir(), 'kumo-home-')),
    clock: { now: () => t, sleep: async (ms) => void (t += ms) },
  };
  return { io, calls, runs, out: () => out, err: () => err };
}

const notFound = (what: string): [number, unknown] => [
  404,
  { status: 'NOT_FOUND', message: `${what} not found` },
];

describe('kumo instance create', () => {
  it('uses the AZ default subnet, sends the JD body, prints ids and waits with progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-ud-'));
    writeFileSync(join(dir, 'ud.sh'), '#!/bin/sh\necho hi\n');
    let polls = 0;
    // i-2's SSH server answers at the second probe.
    let probes = 0;
    const h = harness((c) => {
      if (c.path.endsWith('/subnets'))
        return [
          200,
          {
            subnets: [
              { subnetId: 'subnet-b', az: 'b' },
              { subnetId: 'subnet-a', az: 'a' },
            ],
          },
        ];
      if (c.method === 'POST') return [200, { instanceIds: ['i-1', 'i-2'] }];
      const one = /\/instances\/(i-\d)$/.exec(c.path);
      if (one) {
        const n = one[1] === 'i-1' ? 5 : 6;
        return [
          200,
          { instance: { instanceId: one[1], status: 'running', privateIpAddress: `10.0.0.${n}` } },
        ];
      }
      polls++;
      const status = polls === 1 ? 'pending' : 'running';
      return [
        200,
        { instanceStatuses: ['i-1', 'i-2'].map((instanceId) => ({ instanceId, status })), totalCount: 2 },
      ];
    });
    const code = await runCli(
      ['instance', 'create', '--name', 'web', '--az', 'a', '--type', 't.n1.nano', '--image', 'img-1']
        .concat([
          '--key',
          'k',
          '--count',
          '2',
          '--client-token',
          'tok',
          '--userdata-file',
          join(dir, 'ud.sh'),
        ])
        .concat(['--wait']),
      { ...h.io, probe: async (ip) => ip === '10.0.0.5' || probes++ > 0 },
    );
    expect(code).toBe(0);
    const create = h.calls.find((c) => c.method === 'POST');
    expect(create?.path).toBe('/v1/regions/local-1/instances');
    expect(create?.body).toEqual({
      instanceSpec: {
        name: 'web',
        az: 'a',
        instanceType: 't.n1.nano',
        imageId: 'img-1',
        keyNames: ['k'],
        primaryNetworkInterface: { networkInterface: { subnetId: 'subnet-a' } },
        systemDisk: { diskCategory: 'local' },
        userdata: [{ key: 'launch-script', value: Buffer.from('#!/bin/sh\necho hi\n').toString('base64') }],
      },
      maxCount: 2,
      clientToken: 'tok',
    });
    const poll = h.calls.find((c) => c.path.endsWith('/instanceStatus'));
    expect(poll?.query.get('filters.1.name')).toBe('instanceId');
    expect(h.out()).toBe('i-1\ni-2\n');
    expect(h.err()).toBe(
      'i-1: pending (0.0 s)\ni-2: pending (0.0 s)\ni-1: pending → running (0.5 s)\ni-2: pending → running (0.5 s)\n' +
        'i-1: ssh answers on 10.0.0.5:22 (0.0 s)\ni-2: ssh answers on 10.0.0.6:22 (1.0 s)\n',
    );
  });

  it('sends a cloud disk spec and skips the subnet lookup when --subnet is given', async () => {
    const h = harness(() => [200, { instanceIds: ['i-1'] }]);
    const args = [
      'instance',
      'create',
      '--name',
      'n',
      '--az',
      'a',
      '--type',
      't',
      '--image',
      'i',
      '--subnet',
      'subnet-x',
    ];
    expect(await runCli([...args, '--disk-category', 'cloud', '--disk-size', '60', '-o', 'json'], h.io)).toBe(
      0,
    );
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]?.body).toMatchObject({
      instanceSpec: {
        primaryNetworkInterface: { networkInterface: { subnetId: 'subnet-x' } },
        systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 60 } },
      },
      maxCount: 1,
    });
    expect(JSON.parse(h.out())).toEqual({ instanceIds: ['i-1'] });
    // A cloud disk without a size is refused before any request.
    expect(await runCli([...args, '--disk-category', 'cloud'], h.io)).toBe(2);
    expect(h.calls).toHaveLength(1);
  });

  it('exits 1 when an instance goes to error, with the failed action from the log', async () => {
    const h = harness((c) => {
      if (c.path.endsWith('/events'))
        return [200, { events: [{ action: 'spawn', outcome: 'failed', detail: 'no capacity' }] }];
      if (c.method === 'POST') return [200, { instanceIds: ['i-1'] }];
      return [200, { instanceStatuses: [{ instanceId: 'i-1', status: 'error' }], totalCount: 1 }];
    });
    const args = [
      'instance',
      'create',
      '--name',
      'n',
      '--az',
      'a',
      '--type',
      't',
      '--image',
      'i',
      '--subnet',
      's',
    ];
    expect(await runCli([...args, '--wait'], h.io)).toBe(1);
    expect(h.err()).toBe(
      'i-1: error (0.0 s)\nError: i-1 is in status error\ni-1: spawn failed: no capacity\n',
    );
  });
});

describe('kumo instance actions, list and ssh', () => {
  it('stop acts on every id, reports refusals per id, waits for the rest and exits 1', async () => {
    const h = harness((c) => {
      if (c.path.endsWith('i-bad:stopInstance')) return notFound("Instance 'i-bad'");
      if (c.method === 'POST') return [200, undefined];
      return [200, { instanceStatuses: [{ instanceId: 'i-ok', status: 'stopped' }], totalCount: 1 }];
    });
    expect(await runCli(['instance', 'stop', 'i-bad', 'i-ok', '--wait'], h.io)).toBe(1);
    expect(h.out()).toBe('i-ok\n');
    expect(h.err()).toBe(
      "Error: i-bad: NOT_FOUND: Instance 'i-bad' not found (requestId r)\ni-ok: stopped (0.0 s)\n",
    );
  });

  it('resize and rebuild send their bodies; delete --wait ends when the instance is gone', async () => {
    const h = harness((c) =>
      c.method === 'GET' ? [200, { instanceStatuses: [], totalCount: 0 }] : [200, undefined],
    );
    expect(await runCli(['instance', 'resize', 'i-1', '--type', 'g.n2.large'], h.io)).toBe(0);
    expect(
      await runCli(['instance', 'rebuild', 'i-1', '--password', 'P4ss-word', '--image', 'img-2'], h.io),
    ).toBe(0);
    expect(await runCli(['instance', 'delete', 'i-1', '--wait'], h.io)).toBe(0);
    expect(h.calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/v1/regions/local-1/instances/i-1:resizeInstance', { instanceType: 'g.n2.large' }],
      [
        'POST',
        '/v1/regions/local-1/instances/i-1:rebuildInstance',
        { password: 'P4ss-word', imageId: 'img-2' },
      ],
      ['DELETE', '/v1/regions/local-1/instances/i-1', undefined],
      ['GET', '/v1/regions/local-1/instanceStatus', undefined],
    ]);
    expect(h.err()).toBe('i-1: deleted (0.0 s)\n');
  });

  it('list turns options into JD filters and fetches every page', async () => {
    const h = harness((c) => {
      const page = Number(c.query.get('pageNumber'));
      const n = page === 1 ? 100 : 1;
      return [
        200,
        {
          instances: Array.from({ length: n }, (_, i) => ({ instanceId: `i-${page}-${i}` })),
          totalCount: 101,
        },
      ];
    });
    expect(
      await runCli(
        ['-o', 'json', 'instance', 'list', '--status', 'running', '--az', 'a', '--name', 'web'],
        h.io,
      ),
    ).toBe(0);
    expect(h.calls).toHaveLength(2);
    expect(h.calls[0]?.query.toString()).toBe(
      'filters.1.name=name&filters.1.values.1=web&filters.2.name=status&filters.2.values.1=running' +
        '&filters.3.name=az&filters.3.values.1=a&pageNumber=1&pageSize=100',
    );
    expect((JSON.parse(h.out()) as { totalCount: number }).totalCount).toBe(101);
  });

  it('ssh runs the system ssh at the private IP and exits with its code', async () => {
    const key = join(mkdtempSync(join(tmpdir(), 'kumo-key-')), 'id');
    writeFileSync(key, 'PEM', { mode: 0o600 });
    const h = harness(() => [
      200,
      { instance: { instanceId: 'i-1', privateIpAddress: '10.0.0.7', status: 'running' } },
    ]);
    expect(
      await runCli(['instance', 'ssh', 'i-1', '--key', key, '--user', 'debian', '--', 'uname', '-a'], h.io),
    ).toBe(3);
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]?.command).toBe('ssh');
    const args = h.runs[0]?.args ?? [];
    expect(args.slice(0, 2)).toEqual(['-i', key]);
    expect(args).toContain(`UserKnownHostsFile=${join(h.io.home as string, '.kumo', 'known_hosts')}`);
    expect(args.slice(-6)).toEqual(['-l', 'debian', '10.0.0.7', '--', 'uname', '-a']);
    expect(h.err()).toBe('');
    // A login name that ssh would read as an option is refused.
    expect(await runCli(['instance', 'ssh', 'i-1', '--key', key, '--user', '-oProxyCommand=x'], h.io)).toBe(
      2,
    );
  });
});

describe('kumo host, image and subnet', () => {
  it('host add sends the region and ratios; drain posts the action', async () => {
    const h = harness(() => [200, { host: { hostId: 'h-1', name: 'n1', capacity: {} } }]);
    const add = [
      'host',
      'add',
      'n1',
      '--uri',
      'qemu+tcp://10.0.0.2/system',
      '--az',
      'a',
      '--pool-path',
      '/var/lib/kumo/pool',
    ];
    expect(await runCli(['--region', 'r-2', ...add, '--cpu-ratio', '8'], h.io)).toBe(0);
    expect(await runCli(['host', 'drain', 'n1'], h.io)).toBe(0);
    expect(h.calls.map((c) => [c.method, c.path, c.body])).toEqual([
      [
        'POST',
        '/admin/v1/hosts',
        {
          name: 'n1',
          uri: 'qemu+tcp://10.0.0.2/system',
          regionId: 'r-2',
          az: 'a',
          poolPath: '/var/lib/kumo/pool',
          accelerator: 'probe',
          cpuRatio: 8,
        },
      ],
      ['POST', '/admin/v1/hosts/n1:drain', {}],
    ]);
  });

  it('image import sends an absolute manifest path', async () => {
    const h = harness(() => [200, { image: { imageId: 'img-1', name: 'x' } }]);
    expect(await runCli(['image', 'import', 'dir/manifest.json', '--name', 'x'], h.io)).toBe(0);
    expect(h.calls[0]?.body).toEqual({
      manifestPath: resolve('dir/manifest.json'),
      regionId: 'local-1',
      name: 'x',
    });
  });

  it('subnet list filters by AZ locally', async () => {
    const h = harness(() => [
      200,
      {
        subnets: [
          { subnetId: 's-a', az: 'a' },
          { subnetId: 's-b', az: 'b' },
        ],
        totalCount: 2,
      },
    ]);
    expect(await runCli(['-o', 'json', 'subnet', 'list', '--az', 'b'], h.io)).toBe(0);
    expect(JSON.parse(h.out())).toEqual({ subnets: [{ subnetId: 's-b', az: 'b' }], totalCount: 1 });
  });
});
