// The operator's listener: Prometheus metrics that count what the API served and read the
// inventory, and the OpenAPI document built from the route table.
import { newAccount, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { freePort } from '../support/ports.js';

let kumod: TestKumod;
let ops: string;

beforeAll(async () => {
  const port = await freePort();
  ops = `http://127.0.0.1:${port}`;
  kumod = await startKumodOnTestDatabase({ KUMO_OPS_LISTEN: `127.0.0.1:${port}` });
});
afterAll(async () => {
  await kumod?.cleanup();
});

const metricValue = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
};

test('metrics count requests by operation and status and read the inventory', async () => {
  const user = await newAccount(kumod, 'metered');
  for (let i = 0; i < 3; i++) await user.describeKeypairs();
  await user.deleteKeypair('absent').catch(() => undefined);
  const res = await fetch(`${ops}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  expect(metricValue(text, 'kumo_http_requests_total{operation="describeKeypairs",code="200"}')).toBe(3);
  expect(metricValue(text, 'kumo_http_requests_total{operation="deleteKeypair",code="404"}')).toBe(1);
  expect(metricValue(text, 'kumo_http_request_duration_seconds_count{operation="describeKeypairs"}')).toBe(3);
  expect(text).toContain('kumo_process_resident_memory_bytes');
  // No hosts and no instances in this database: the gauges say so rather than being absent.
  expect(text).toMatch(/^# TYPE kumo_instances gauge$/m);
  expect(text).not.toMatch(/^kumo_hosts\{/m);
  // The API port does not serve them (every API request is authenticated).
  expect((await fetch(`${kumod.endpoint}/metrics`)).status).not.toBe(200);
});

test('the OpenAPI document describes every operation from the route table', async () => {
  const doc = (await (await fetch(`${ops}/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        { operationId: string; requestBody?: unknown; responses: Record<string, unknown>; tags: string[] }
      >
    >;
  };
  expect(doc.openapi).toBe('3.1.0');
  const ops_ = Object.values(doc.paths).flatMap((p) => Object.values(p));
  const ids = ops_.map((o) => o.operationId);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ['createKeypair', 'describeInstances', 'createInstances', 'forceDeleteInstance'])
    expect(ids).toContain(id);
  const create = doc.paths['/v1/regions/{regionId}/keypairs']!.post!;
  expect(create.operationId).toBe('createKeypair');
  expect(JSON.stringify(create.requestBody)).toContain('keyName');
  expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
  expect(doc.paths['/admin/v1/hosts']!.get!.tags).toEqual(['admin']);
  expect((await fetch(`${ops}/nope`)).status).toBe(404);
});
