// A table of bad requests: each gets the right 4xx JD envelope, none leaks internals, and the
// inventory is byte-for-byte unchanged afterwards.
import pg from 'pg';
import { clientFor, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { signedRaw } from '../support/raw-request.js';

let kumod: TestKumod;
let user: { accessKey: string; secretKey: string };

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase({ KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000' });
  const created = await kumod
    .admin()
    .adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', { body: { name: 'table' } });
  user = created;
  await clientFor(kumod.endpoint, user).createKeypair('existing');
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
});

/** Every inventory table as canonical JSON (the request bookkeeping tables change by design). */
async function inventory(): Promise<string> {
  const c = new pg.Client({ connectionString: kumod.dbUrl });
  await c.connect();
  try {
    const out: Record<string, unknown> = {};
    for (const t of ['accounts', 'access_keys', 'keypairs']) {
      out[t] = (await c.query(`SELECT json_agg(t ORDER BY t::text) AS rows FROM ${t} t`)).rows[0].rows;
    }
    return JSON.stringify(out);
  } finally {
    await c.end();
  }
}

const KP = '/v1/regions/local-1/keypairs';
const big = (n: number) => 'x'.repeat(n);
const json = (v: unknown) => JSON.stringify(v);

type Case = [
  label: string,
  method: string,
  path: string,
  body: string,
  code: number,
  status: string,
  msg?: RegExp,
];
const cases: Case[] = [
  ['truncated JSON', 'POST', KP, '{"keyName": "a"', 400, 'INVALID_ARGUMENT', /Malformed JSON/],
  ['JSON array body', 'POST', KP, '[1,2]', 400, 'INVALID_ARGUMENT'],
  ['JSON string body', 'POST', KP, '"keyName"', 400, 'INVALID_ARGUMENT'],
  ['not JSON at all', 'POST', KP, 'keyName=a', 400, 'INVALID_ARGUMENT', /Malformed JSON/],
  ['keyName missing', 'POST', KP, '{}', 400, 'INVALID_ARGUMENT', /^Parameter keyName missing$/],
  ['keyName wrong type', 'POST', KP, json({ keyName: 5 }), 400, 'INVALID_ARGUMENT', /keyName/],
  ['keyName null', 'POST', KP, json({ keyName: null }), 400, 'INVALID_ARGUMENT', /keyName/],
  ['keyName empty', 'POST', KP, json({ keyName: '' }), 400, 'INVALID_ARGUMENT'],
  ['keyName 33 chars', 'POST', KP, json({ keyName: big(33) }), 400, 'INVALID_ARGUMENT'],
  ['keyName overlong', 'POST', KP, json({ keyName: big(5000) }), 400, 'OUT_OF_RANGE'],
  ['keyName CJK', 'POST', KP, json({ keyName: '密钥' }), 400, 'INVALID_ARGUMENT'],
  ['keyName emoji', 'POST', KP, json({ keyName: 'key🔑' }), 400, 'INVALID_ARGUMENT'],
  ['keyName SQL', 'POST', KP, json({ keyName: "a'; DROP TABLE keypairs; --" }), 400, 'INVALID_ARGUMENT'],
  ['keyName XML', 'POST', KP, json({ keyName: '<name>&amp;</name>' }), 400, 'INVALID_ARGUMENT'],
  ['keyName shell', 'POST', KP, json({ keyName: '$(reboot)`id`' }), 400, 'INVALID_ARGUMENT'],
  ['keyName newline', 'POST', KP, json({ keyName: 'a\nb' }), 400, 'INVALID_ARGUMENT'],
  ['keyName NUL', 'POST', KP, json({ keyName: 'a\u0000b' }), 400, 'INVALID_ARGUMENT'],
  [
    'duplicate keyName',
    'POST',
    KP,
    json({ keyName: 'existing' }),
    400,
    'FAILED_PRECONDITION',
    /already in use/,
  ],
  [
    'import without key',
    'POST',
    `${KP}:import`,
    json({ keyName: 'k1' }),
    400,
    'INVALID_ARGUMENT',
    /publicKey missing/,
  ],
  [
    'import SQL key',
    'POST',
    `${KP}:import`,
    json({ keyName: 'k1', publicKey: "ssh-rsa AAAA'); DELETE FROM keypairs; --" }),
    400,
    'FAILED_PRECONDITION',
    /Malformed PublicKey/,
  ],
  [
    'import two keys',
    'POST',
    `${KP}:import`,
    json({ keyName: 'k1', publicKey: 'ssh-ed25519 AAAA\nssh-ed25519 BBBB' }),
    400,
    'FAILED_PRECONDITION',
  ],
  [
    'import DSA key',
    'POST',
    `${KP}:import`,
    json({ keyName: 'k1', publicKey: 'ssh-dss AAAAB3NzaC1kc3MAAACBAP' }),
    400,
    'FAILED_PRECONDITION',
  ],
  [
    'import huge key',
    'POST',
    `${KP}:import`,
    json({ keyName: 'k1', publicKey: `ssh-rsa ${big(70_000)}` }),
    400,
    'OUT_OF_RANGE',
  ],
  ['body over the limit', 'POST', KP, json({ keyName: 'k', pad: big(300_000) }), 413, 'INVALID_ARGUMENT'],
  ['pageSize below range', 'GET', `${KP}?pageSize=5`, '', 400, 'OUT_OF_RANGE', /^PageSize out of range$/],
  ['pageSize above range', 'GET', `${KP}?pageSize=101`, '', 400, 'OUT_OF_RANGE'],
  ['pageSize not a number', 'GET', `${KP}?pageSize=ten`, '', 400, 'INVALID_ARGUMENT'],
  ['pageNumber zero', 'GET', `${KP}?pageNumber=0`, '', 400, 'OUT_OF_RANGE'],
  ['pageNumber negative', 'GET', `${KP}?pageNumber=-3`, '', 400, 'OUT_OF_RANGE'],
  [
    'unknown filter',
    'GET',
    `${KP}?filters.1.name=owner&filters.1.values.1=x`,
    '',
    400,
    'INVALID_ARGUMENT',
    /Unknown filter name 'owner'/,
  ],
  ['filter without values', 'GET', `${KP}?filters.1.name=keyNames`, '', 400, 'INVALID_ARGUMENT'],
  [
    'filter bad operator',
    'GET',
    `${KP}?filters.1.name=keyNames&filters.1.operator=like&filters.1.values.1=a`,
    '',
    400,
    'INVALID_ARGUMENT',
  ],
  ['filter index abuse', 'GET', `${KP}?filters.99999.name=keyNames`, '', 400, 'INVALID_ARGUMENT'],
  [
    'filter value overlong',
    'GET',
    `${KP}?filters.1.name=keyNames&filters.1.values.1=${big(300)}`,
    '',
    400,
    'OUT_OF_RANGE',
  ],
  ['delete SQL name', 'DELETE', `${KP}/a'%20OR%20'1'='1`, '', 404, 'NOT_FOUND'],
  ['delete dot segments', 'DELETE', `${KP}/%2e%2e`, '', 404, 'NOT_FOUND'],
  ['broken percent-encoding', 'DELETE', `${KP}/%E0%A4%A`, '', 400, 'INVALID_ARGUMENT'],
  ['unknown path', 'GET', '/v1/regions/local-1/volcanoes', '', 404, 'NOT_FOUND'],
  ['unknown action', 'POST', `${KP}:explode`, '{}', 404, 'NOT_FOUND'],
  ['PUT is not JD', 'PUT', KP, '{}', 404, 'NOT_FOUND'],
  [
    'unknown quota type',
    'GET',
    '/v1/regions/local-1/quotas?filters.1.name=resourceTypes&filters.1.values.1=gpu',
    '',
    400,
    'INVALID_ARGUMENT',
  ],
  ['bad imageId', 'GET', '/v1/regions/local-1/quotas?imageId=%3Cscript%3E', '', 400, 'INVALID_ARGUMENT'],
  [
    'unknown instance type filter',
    'GET',
    '/v1/regions/local-1/instanceTypes?filters.1.name=gpu&filters.1.values.1=1',
    '',
    400,
    'INVALID_ARGUMENT',
  ],
  ['admin API as a user', 'POST', '/admin/v1/accounts', json({ name: 'evil' }), 403, 'PERMISSION_DENIED'],
];

test(`${cases.length} bad requests get the right envelope and change nothing`, async () => {
  expect(cases.length).toBeGreaterThanOrEqual(30);
  const before = await inventory();
  for (const [label, method, path, body, code, status, msg] of cases) {
    const r = await signedRaw(kumod.endpoint, user, method, path, body);
    const got = { label, code: r.status, status: r.json.error?.status };
    expect(got).toEqual({ label, code, status });
    expect(r.json.error?.code).toBe(code);
    expect(r.json.requestId).toMatch(/^[a-z0-9]{32}$/);
    expect(r.headers['x-jdcloud-request-id']).toBe(r.json.requestId);
    if (msg) expect(r.json.error?.message).toMatch(msg);
    // No stack traces, SQL or driver text ever reach a client.
    expect(r.text).not.toMatch(
      /\bat .+\.(js|ts):\d+|SELECT |INSERT |DELETE FROM|knex|pg_|syntax error|node_modules/i,
    );
  }
  expect(await inventory()).toBe(before);
}, 60_000);

test('an unknown region is NOT_FOUND even with a correctly signed request', async () => {
  const r = await signedRaw(kumod.endpoint, user, 'GET', '/v1/regions/mars-1/keypairs', '', {
    regionId: 'mars-1',
  });
  expect([r.status, r.json.error?.status, r.json.error?.message]).toEqual([
    404,
    'NOT_FOUND',
    "Region 'mars-1' not found",
  ]);
});

test('body keys match case-insensitively and unknown or echoed keys are ignored', async () => {
  const r = await signedRaw(
    kumod.endpoint,
    user,
    'POST',
    KP,
    json({ KeyName: 'CaseKey', regionId: 'local-1', somethingNew: { deep: [1] } }),
  );
  expect(r.status).toBe(200);
  expect(r.json.result).toMatchObject({ keyName: 'CaseKey' });
  const del = await signedRaw(kumod.endpoint, user, 'DELETE', `${KP}/CaseKey`);
  expect(del.status).toBe(200);
  expect(del.json).toEqual({ requestId: expect.stringMatching(/^[a-z0-9]{32}$/) });
});

test('the colon action works raw and %3A-encoded', async () => {
  const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBZAWGinU0QhYllXt5xh6GstcDO5Apv/UVu8kyIeI71N';
  const raw = await signedRaw(
    kumod.endpoint,
    user,
    'POST',
    `${KP}:import`,
    json({ keyName: 'colon-raw', publicKey: pub }),
  );
  const enc = await signedRaw(
    kumod.endpoint,
    user,
    'POST',
    `${KP}%3Aimport`,
    json({ keyName: 'colon-enc', publicKey: pub }),
  );
  const lower = await signedRaw(
    kumod.endpoint,
    user,
    'POST',
    `${KP}%3aimport`,
    json({ keyName: 'colon-low', publicKey: pub }),
  );
  expect([raw.status, enc.status, lower.status]).toEqual([200, 200, 200]);
  const listed = await clientFor(kumod.endpoint, user).describeKeypairs({
    filters: [{ name: 'keyNames', values: ['colon-raw', 'colon-enc', 'colon-low'] }],
  });
  expect(listed.keypairs.map((k) => k.keyName).sort()).toEqual(['colon-enc', 'colon-low', 'colon-raw']);
});
