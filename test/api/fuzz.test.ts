// Abuse at volume (hardening): 20,000 generated requests — every route with hostile path values,
// queries and bodies, right and wrong signatures, odd media types — against a real kumod. No
// response may be a 5xx, every response is JD's envelope, another account's resources are never
// touched, and a rejected request changes nothing: the fuzzer's keypairs are exactly those its
// accepted creates minus its accepted deletes. Bounded in count and time; loopback only.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { jest } from '@jest/globals';
import { computeSignature, formatJdDate, serviceOfPath, sha256Hex } from '@kumo/contract';
import type { KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { newAccount, removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

jest.setTimeout(6 * 60_000);

const REQUESTS = 20_000;
const CONCURRENCY = 16;
const TIME_LIMIT_MS = 4 * 60_000;

let kumod: KumodProcess;
let dbUrl: string;
let fuzzer: { accessKey: string; secretKey: string };
let victim: KumoClient;

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  kumod = await startKumod({
    DATABASE_URL: dbUrl,
    KUMO_RATE_LIMIT_PER_MINUTE: '100000000',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000000',
    KUMO_AUTH_FAILURES_PER_MINUTE: '1000000',
    KUMO_QUOTA_KEYPAIR: '100000',
  });
  fuzzer = await kumod.admin().adminRequest('POST', '/accounts', { body: { name: 'fuzzer' } });
  victim = await newAccount(kumod, 'victim');
  await victim.createKeypair('victims-key');
}, 60_000);

afterAll(async () => {
  await kumod?.stop();
  removeDataDir(kumod.dataDir);
  await dropTestDatabase(dbUrl);
});

const TEMPLATES: [string, string][] = [
  ['GET', '/v1/regions/{r}/instances'],
  ['POST', '/v1/regions/{r}/instances'],
  ['GET', '/v1/regions/{r}/instances/{id}'],
  ['DELETE', '/v1/regions/{r}/instances/{id}'],
  ['POST', '/v1/regions/{r}/instances/{id}:stopInstance'],
  ['POST', '/v1/regions/{r}/instances/{id}:startInstance'],
  ['POST', '/v1/regions/{r}/instances/{id}:rebootInstance'],
  ['POST', '/v1/regions/{r}/instances/{id}:resizeInstance'],
  ['POST', '/v1/regions/{r}/instances/{id}:rebuildInstance'],
  ['POST', '/v1/regions/{r}/instances/{id}:modifyInstanceAttribute'],
  ['POST', '/v1/regions/{r}/instances/{id}:modifyInstancePassword'],
  ['GET', '/v1/regions/{r}/instanceStatus'],
  ['GET', '/v1/regions/{r}/instancePrivateIpAddress'],
  ['GET', '/v1/regions/{r}/keypairs'],
  ['POST', '/v1/regions/{r}/keypairs'],
  ['POST', '/v1/regions/{r}/keypairs:import'],
  ['DELETE', '/v1/regions/{r}/keypairs/{id}'],
  ['GET', '/v1/regions/{r}/images'],
  ['GET', '/v1/regions/{r}/images/{id}'],
  ['DELETE', '/v1/regions/{r}/images/{id}'],
  ['GET', '/v1/regions/{r}/images/{id}/constraints'],
  ['POST', '/v1/regions/{r}/images/{id}:modifyImageAttribute'],
  ['GET', '/v1/regions/{r}/imageConstraints'],
  ['GET', '/v1/regions/{r}/instanceTypes'],
  ['GET', '/v1/regions/{r}/quotas'],
  ['GET', '/v1/regions/{r}/subnets/'],
  ['GET', '/admin/v1/hosts'],
  ['POST', '/admin/v1/hosts'],
  ['POST', '/admin/v1/images:import'],
  ['POST', '/admin/v1/accounts'],
  ['GET', '/v1/regions/{r}/{id}'],
];

const hostile = fc.oneof(
  fc.constantFrom(
    'i-abcdefgh1234',
    'img-abcdefgh',
    'victims-key',
    'local-1',
    '..',
    '.',
    '%00',
    '%2e%2e',
    'a%2Fb',
  ),
  fc.constantFrom('%E2%80%AE', '%C0%AF', '%ZZ', '%', 'x'.repeat(300), ':stopInstance', '%3AstopInstance'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
);
const queryPiece = fc.oneof(
  fc.constantFrom('pageSize=10', 'pageSize=0', 'pageSize=1000000000000', 'pageNumber=-1', 'filters=x'),
  fc.constantFrom('filters.1.name=status', 'filters.1.values.1=running', 'filters.1.name=keyNames'),
  fc.constantFrom('filters.1.values.1=%00', 'filters.999999.name=x', 'ids=%5B%5D', 'a[b]=c', 'filters'),
  fc
    .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
);
const fieldNames = fc.constantFrom(
  'keyName',
  'publicKey',
  'instanceSpec',
  'maxCount',
  'clientToken',
  'name',
  'description',
  'password',
  'instanceType',
  'imageId',
  'keyNames',
  'uri',
  'az',
  'regionId',
  'manifestPath',
  'hostname',
  'userdata',
);
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.dictionary(fieldNames, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('', '{', 'null', '[]', '{"keyName":"k\\u0000"}', '{"instanceSpec":{"name":"-web"}}'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
const signing = fc.constantFrom(
  'good',
  'good',
  'good',
  'good',
  'good',
  'good',
  'wrong-secret',
  'none',
  'garbage',
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'text/plain',
  '',
);

const requestSpec = fc.record({
  template: fc.constantFrom(...TEMPLATES),
  id: hostile,
  region: fc.constantFrom(
    'local-1',
    'local-1',
    'local-1',
    'local-1',
    'local-1',
    'local-1',
    'nowhere-1',
    '%00',
  ),
  query: fc.array(queryPiece, { maxLength: 4 }),
  body,
  signing,
  contentType,
});

type Spec = fc.Arbitrary<unknown> extends never ? never : ReturnType<typeof requestSpec.generate>['value'];

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(spec: Spec): Promise<{ status: number; text: string }> {
  const [method, template] = spec.template;
  const path = template.replace('{r}', spec.region).replace('{id}', spec.id);
  const query = spec.query.join('&');
  const payload = method === 'POST' ? spec.body : '';
  const url = new URL(kumod.endpoint);
  const headers: Record<string, string> = {
    host: url.host,
    'x-jdcloud-date': formatJdDate(new Date()),
    'x-jdcloud-nonce': randomUUID(),
  };
  if (spec.contentType) headers['content-type'] = spec.contentType;
  if (spec.signing === 'garbage') headers.authorization = 'JDCLOUD2-HMAC-SHA256 Credential=%00, Signature=zz';
  else if (spec.signing !== 'none') {
    const date = headers['x-jdcloud-date']!;
    const signedHeaders = Object.keys(headers).sort();
    const service = serviceOfPath(path);
    const signature = computeSignature({
      method,
      path,
      query,
      headers,
      signedHeaders,
      bodySha256Hex: sha256Hex(payload),
      secretKey: spec.signing === 'good' ? fuzzer.secretKey : 'x'.repeat(40),
      date,
      regionId: 'local-1',
      service,
    });
    headers.authorization =
      `JDCLOUD2-HMAC-SHA256 Credential=${fuzzer.accessKey}/${date.slice(0, 8)}/local-1/${service}/jdcloud2_request, ` +
      `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  }
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: query ? `${path}?${query}` : path,
        headers: { ...headers, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

test(`${REQUESTS} hostile requests: no 5xx, JD envelopes, no cross-account effect, no change from a rejection`, async () => {
  const specs = fc.sample(requestSpec, { numRuns: REQUESTS, seed: 20261201 });
  const started = Date.now();
  const statuses = new Map<number, number>();
  const serverErrors: string[] = [];
  const notEnvelopes: string[] = [];
  let created = 0;
  let deleted = 0;
  let sent = 0;
  let next = 0;
  const worker = async () => {
    while (next < specs.length && Date.now() - started < TIME_LIMIT_MS) {
      const spec = specs[next++]!;
      const r = await send(spec);
      sent++;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const what = `${spec.template[0]} ${spec.template[1]} id=${spec.id} → ${r.status} ${r.text.slice(0, 200)}`;
      if (r.status >= 500) serverErrors.push(what);
      let json: { requestId?: unknown; error?: { status?: unknown } } | undefined;
      try {
        json = JSON.parse(r.text);
      } catch {
        json = undefined;
      }
      const isEnvelope =
        typeof json?.requestId === 'string' && (r.status < 300 || typeof json.error?.status === 'string');
      if (!isEnvelope) notEnvelopes.push(what);
      if (r.status === 200 && spec.template[0] === 'POST' && /keypairs(:import)?$/.test(spec.template[1]))
        created++;
      if (r.status === 200 && spec.template[0] === 'DELETE' && spec.template[1].includes('/keypairs/'))
        deleted++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `fuzz: ${sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
  );
  expect(serverErrors).toEqual([]);
  expect(notEnvelopes).toEqual([]);
  expect(sent).toBe(REQUESTS);

  // The other account's key pair is untouched; the fuzzer has exactly what its accepted calls made.
  expect((await victim.describeKeypairs()).keypairs.map((k) => k.keyName)).toEqual(['victims-key']);
  const mine = await kumod.admin().request<{ totalCount: number }>('GET', '/v1/regions/local-1/keypairs');
  expect(mine.totalCount).toBe(0); // the admin made none
  const { clientFor } = await import('../support/kumod.js');
  const fuzzerKeys = await clientFor(kumod.endpoint, fuzzer).describeKeypairs({ pageSize: 100 });
  expect(fuzzerKeys.totalCount).toBe(created - deleted);
  const instances = await clientFor(kumod.endpoint, fuzzer).describeInstances({});
  expect(instances.totalCount).toBe(0); // no host exists: no create can have been accepted
});
