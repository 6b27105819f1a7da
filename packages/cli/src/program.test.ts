// Unit tests for the kumo command tree: arguments to API calls, output and exit codes, with a fake fetch.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KumoClient, KumoConfigError } from '@kumo/client';
import { runCli } from './program.js';
import { ExitCode } from './errors.js';

interface Call {
  method: string;
  url: URL;
  body: string;
}

function harness(reply: (c: Call) => unknown, status = 200) {
  const calls: Call[] = [];
  let out = '';
  let err = '';
  const fakeFetch = (async (input: URL | string, init?: RequestInit) => {
    const c = { method: init?.method ?? 'GET', url: new URL(String(input)), body: String(init?.body ?? '') };
    calls.push(c);
    return new Response(JSON.stringify(reply(c)), { status });
  }) as typeof fetch;
  const io = {
    stdout: (t: string) => void (out += t),
    stderr: (t: string) => void (err += t),
    makeClient: (o: { endpoint?: string; region?: string }) =>
      new KumoClient({
        endpoint: o.endpoint ?? 'http://127.0.0.1:8080',
        regionId: o.region ?? 'local-1',
        accessKey: 'a',
        secretKey: 's',
        fetch: fakeFetch,
      }),
  };
  return { io, calls, out: () => out, err: () => err };
}

describe('kumo keypair', () => {
  it('list pages through everything and filters by name', async () => {
    const h = harness((c) => {
      const page = Number(c.url.searchParams.get('pageNumber'));
      const keypairs =
        page === 1
          ? Array.from({ length: 100 }, (_, i) => ({
              keyName: `k${i}`,
              keyFingerprint: 'f',
              createTime: 't',
            }))
          : [{ keyName: 'last', keyFingerprint: 'f', createTime: 't' }];
      return { requestId: 'r', result: { keypairs, totalCount: 101 } };
    });
    expect(await runCli(['keypair', 'list', '--name', 'a', 'b'], h.io)).toBe(0);
    expect(h.calls).toHaveLength(2);
    expect(h.calls[0]?.url.search).toBe(
      '?filters.1.name=keyNames&filters.1.values.1=a&filters.1.values.2=b&pageNumber=1&pageSize=100',
    );
    expect(h.out().split('\n')[0]).toBe('NAME  FINGERPRINT  CREATED');
    expect(h.out().trim().split('\n')).toHaveLength(102);
  });

  it('create --out writes the private key with mode 0600 and does not print it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-cli-'));
    const file = join(dir, 'k.pem');
    const h = harness(() => ({
      requestId: 'r',
      result: { keyName: 'k', privateKey: 'PEM', keyFingerprint: 'aa' },
    }));
    expect(await runCli(['--output', 'json', 'keypair', 'create', 'k', '--out', file], h.io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('PEM\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(h.out())).toEqual({ keyName: 'k', keyFingerprint: 'aa', privateKeyFile: file });
    // An existing file is refused before the key is created.
    expect(await runCli(['keypair', 'create', 'k2', '--out', file], h.io)).toBe(ExitCode.usage);
    expect(h.calls).toHaveLength(1);
  });

  it('create --out makes a missing directory (0700) and leaves no file when the create fails', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kumo-cli-')), 'fresh', '.kumo');
    const file = join(dir, 'demo.pem');
    const h = harness(() => ({
      requestId: 'r',
      result: { keyName: 'demo', privateKey: 'PEM\n', keyFingerprint: 'aa' },
    }));
    expect(await runCli(['keypair', 'create', 'demo', '--out', file], h.io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('PEM\n');
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const other = join(dir, 'taken.pem');
    const refused = harness(() => ({
      requestId: 'r',
      error: { code: 409, status: 'ALREADY_EXISTS', message: "KeyName 'taken' already in use" },
    }));
    expect(await runCli(['keypair', 'create', 'taken', '--out', other], refused.io)).toBe(1);
    expect(existsSync(other)).toBe(false);
  });

  it('import reads the public key file; a missing file is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kumo-cli-'));
    const pub = join(dir, 'id.pub');
    writeFileSync(pub, 'ssh-ed25519 AAAA me\n');
    const h = harness(() => ({ requestId: 'r', result: { keyName: 'k', keyFingerprint: 'aa' } }));
    expect(await runCli(['keypair', 'import', 'k', '--public-key-file', pub], h.io)).toBe(0);
    expect(JSON.parse(h.calls[0]?.body ?? '')).toEqual({ keyName: 'k', publicKey: 'ssh-ed25519 AAAA me' });
    expect(await runCli(['keypair', 'import', 'k', '--public-key-file', join(dir, 'nope')], h.io)).toBe(2);
    expect(await runCli(['keypair', 'import', 'k'], h.io)).toBe(2);
  });

  it('prints API errors with status, message and request id and exits 1', async () => {
    const h = harness(
      () => ({
        requestId: 'abc',
        error: { code: 404, status: 'NOT_FOUND', message: "KeyPair 'k' not found" },
      }),
      404,
    );
    expect(await runCli(['keypair', 'delete', 'k'], h.io)).toBe(ExitCode.apiError);
    expect(h.err()).toBe("Error: NOT_FOUND: KeyPair 'k' not found (requestId abc)\n");
  });
});

describe('kumo instance-type, quota and globals', () => {
  it('instance-type list sends az and type filters and honours --region', async () => {
    const h = harness(() => ({
      requestId: 'r',
      result: {
        instanceTypes: [
          {
            instanceType: 'g.n2.medium',
            family: 'g.n2',
            cpu: 1,
            memoryMB: 4096,
            nicLimit: 2,
            desc: 'x',
            state: [{ az: 'local-1a', inStock: true }],
          },
        ],
        totalCount: 1,
      },
    }));
    expect(
      await runCli(
        ['instance-type', 'list', '--az', 'local-1a', '--type', 'g.n2.medium', '--region', 'r2'],
        h.io,
      ),
    ).toBe(0);
    expect(h.calls[0]?.url.pathname).toBe('/v1/regions/r2/instanceTypes');
    expect(h.calls[0]?.url.searchParams.get('filters.1.name')).toBe('az');
    expect(h.calls[0]?.url.searchParams.get('filters.2.values.1')).toBe('g.n2.medium');
    expect(h.out()).toContain('local-1a:yes');
  });

  it('quota list renders a table', async () => {
    const h = harness(() => ({
      requestId: 'r',
      result: { quotas: [{ resourceType: 'instance', limit: 20, used: 3 }] },
    }));
    expect(await runCli(['quota', 'list', '--type', 'instance'], h.io)).toBe(0);
    expect(h.out()).toBe('RESOURCE  USED  LIMIT\ninstance     3     20\n');
  });

  it('maps usage, config and unreachable failures to 2, 3 and 4', async () => {
    const h = harness(() => ({}));
    expect(await runCli(['--output', 'yaml', 'quota', 'list'], h.io)).toBe(2);
    expect(await runCli(['nonsense'], h.io)).toBe(2);
    const noCreds = {
      ...h.io,
      makeClient: () => {
        throw new KumoConfigError('No Kumo credentials found');
      },
    };
    expect(await runCli(['quota', 'list'], noCreds)).toBe(3);
    const refused = {
      ...h.io,
      makeClient: () =>
        new KumoClient({
          endpoint: 'http://127.0.0.1:8080',
          regionId: 'x',
          accessKey: 'a',
          secretKey: 's',
          fetch: async () => {
            throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
          },
        }),
    };
    expect(await runCli(['quota', 'list'], refused)).toBe(4);
    expect(await runCli(['--help'], h.io)).toBe(0);
  });
});
