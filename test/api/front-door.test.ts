// The front door (issue: hardening): callers are authenticated on their headers before any body is
// read; slow headers and bodies, too many connections and repeated failures are cut off; every
// rejected request gets the JD envelope with the right status and changes nothing; the signed text
// and the routed request can never differ.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';
import { sendRaw, signedRaw } from '../support/raw-request.js';

let kumod: KumodProcess;
let dbUrl: string;
let keys: { accessKey: string; secretKey: string };
let port: number;

jest.setTimeout(30_000);

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  kumod = await startKumod({
    DATABASE_URL: dbUrl,
    KUMO_HEADERS_TIMEOUT_SECONDS: '2',
    KUMO_BODY_TIMEOUT_SECONDS: '2',
    KUMO_MAX_CONNECTIONS_PER_IP: '40',
    KUMO_AUTH_FAILURES_PER_MINUTE: '1000',
  });
  port = Number(new URL(kumod.endpoint).port);
  keys = await kumod.admin().adminRequest('POST', '/accounts', { body: { name: 'door' } });
}, 60_000);

afterAll(async () => {
  await kumod?.stop();
  removeDataDir(kumod.dataDir);
  await dropTestDatabase(dbUrl);
});

/** Opens a raw connection and resolves when the server closes it, with what it sent and when. */
function rawConnection(): {
  socket: Socket;
  closed: Promise<{ ms: number; answeredMs: number | undefined; text: string }>;
} {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let answeredMs: number | undefined;
  socket.setEncoding('latin1').on('data', (d: string) => {
    answeredMs ??= Date.now() - started;
    text += d;
  });
  const closed = new Promise<{ ms: number; answeredMs: number | undefined; text: string }>((resolve) => {
    socket.on('close', () => resolve({ ms: Date.now() - started, answeredMs, text }));
    socket.on('error', () => undefined);
  });
  return { socket, closed };
}

const keyNames = async () => {
  const r = await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/keypairs?pageSize=100');
  return (r.json.result as { keypairs: { keyName: string }[] }).keypairs.map((k) => k.keyName);
};

describe('before authentication nothing is read or revealed', () => {
  test('an unauthenticated upload is refused on its headers, before its body is sent', async () => {
    const { socket, closed } = rawConnection();
    socket.write(
      'POST /v1/regions/local-1/keypairs HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/json\r\nContent-Length: 200000\r\n\r\n',
    );
    const { ms, answeredMs, text } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 401 /);
    expect(text).toContain('"UNAUTHENTICATED"');
    // Answered at once, and the connection (with the unread body) closed with the answer.
    expect(answeredMs).toBeLessThan(1000);
    expect(ms).toBeLessThan(1500);
  });

  test('unknown paths answer 401 to strangers and 404 only to authenticated callers', async () => {
    const stranger = await sendRaw(kumod.endpoint, 'GET', '/v1/regions/local-1/secretThings', {});
    expect(stranger.status).toBe(401);
    const known = await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/secretThings');
    expect([known.status, known.json.error?.status]).toEqual([404, 'NOT_FOUND']);
  });

  test('an unknown key and a wrong secret get the same message', async () => {
    const unknown = await signedRaw(
      kumod.endpoint,
      { ...keys, accessKey: 'AKNOPE' },
      'GET',
      '/v1/regions/local-1/keypairs',
    );
    const wrong = await signedRaw(
      kumod.endpoint,
      { ...keys, secretKey: 'x'.repeat(40) },
      'GET',
      '/v1/regions/local-1/keypairs',
    );
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.json.error?.message).toBe(wrong.json.error?.message);
  });
});

describe('deadlines and connection caps', () => {
  test('headers sent one byte a second are cut off at the header deadline', async () => {
    const { socket, closed } = rawConnection();
    const line = 'GET /v1/regions/local-1/keypairs HTTP/1.1\r\nHost: 127.0.0.1\r\n';
    let i = 0;
    const drip = setInterval(() => (i < line.length ? socket.write(line[i++]!) : undefined), 1000);
    const { ms } = await closed;
    clearInterval(drip);
    expect(ms).toBeGreaterThanOrEqual(1500);
    expect(ms).toBeLessThan(5000);
  });

  test('an authenticated body sent one byte a second gets 408 at the body deadline, and nothing is created', async () => {
    const signed = await signedRawHeaders('POST', '/v1/regions/local-1/keypairs', '{"keyName":"slowpoke"}');
    const { socket, closed } = rawConnection();
    socket.write(
      `POST /v1/regions/local-1/keypairs HTTP/1.1\r\n` +
        Object.entries({ ...signed, 'content-length': '22' })
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n',
    );
    const body = '{"keyName":"slowpoke"}';
    let i = 0;
    const drip = setInterval(() => (i < body.length ? socket.write(body[i++]!) : undefined), 1000);
    const { ms, text } = await closed;
    clearInterval(drip);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(6000);
    expect(await keyNames()).not.toContain('slowpoke');
  });

  test('connections beyond the per-address cap are closed at once; the others keep working', async () => {
    const held = Array.from({ length: 45 }, () => rawConnection());
    await new Promise((r) => setTimeout(r, 500));
    const closedEarly = await Promise.all(
      held.map(({ closed }) =>
        Promise.race([closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 300))]),
      ),
    );
    // Earlier tests' connections may still be open: at least the 5 over the cap were refused.
    expect(closedEarly.filter(Boolean).length).toBeGreaterThanOrEqual(5);
    held.forEach(({ socket }) => socket.destroy());
    await new Promise((r) => setTimeout(r, 200));
    expect((await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/keypairs')).status).toBe(200);
  });
});

describe('bodies: one media type, no NUL, no compression', () => {
  const create = (body: string | Buffer, extraHeaders: Record<string, string> = {}) =>
    signedRaw(kumod.endpoint, keys, 'POST', '/v1/regions/local-1/keypairs', body, { extraHeaders });

  test('text/plain gets 415 and creates nothing', async () => {
    const r = await create('{"keyName":"plain"}', { 'content-type': 'text/plain' });
    expect([r.status, r.json.error?.status]).toEqual([415, 'INVALID_ARGUMENT']);
    expect(await keyNames()).not.toContain('plain');
  });

  test('a gzip body (corrupt or not) gets 415, never a 500', async () => {
    const good = await create(gzipSync('{"keyName":"zipped"}'), { 'content-encoding': 'gzip' });
    const corrupt = await create(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect([good.status, corrupt.status]).toEqual([415, 415]);
    expect(await keyNames()).not.toContain('zipped');
  });

  test('NUL characters in a body or a filter get 400', async () => {
    const body = await create(JSON.stringify({ keyName: 'nul\u0000name' }));
    expect([body.status, body.json.error?.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const filter = await signedRaw(
      kumod.endpoint,
      keys,
      'GET',
      '/v1/regions/local-1/keypairs?filters.1.name=keyNames&filters.1.values.1=a%00b',
    );
    expect([filter.status, filter.json.error?.status]).toEqual([400, 'INVALID_ARGUMENT']);
  });
});

describe('what is signed is what is routed', () => {
  test('the host header must be signed, and signed for one of our names', async () => {
    const unsigned = await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/keypairs', '', {
      unsigned: ['host'],
    });
    expect(unsigned.status).toBe(401);
    const elsewhere = await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/keypairs', '', {
      extraHeaders: { host: 'evil.example:443' },
    });
    expect(elsewhere.status).toBe(401);
  });

  test("the credential scope's service must be the operation's", async () => {
    const evil = await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/keypairs', '', {
      service: 'evil',
    });
    expect(evil.status).toBe(401);
    const asVm = await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/subnets/');
    expect(asVm.status).toBe(401);
    const asVpc = await signedRaw(kumod.endpoint, keys, 'GET', '/v1/regions/local-1/subnets/', '', {
      service: 'vpc',
    });
    expect(asVpc.status).toBe(200);
  });

  test('query pieces without a value and encoded slashes in the path are refused as ambiguous', async () => {
    const valueless = await signedRaw(
      kumod.endpoint,
      keys,
      'GET',
      '/v1/regions/local-1/keypairs?pageSize=10&filters',
    );
    expect([valueless.status, valueless.json.error?.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const slash = await signedRaw(
      kumod.endpoint,
      keys,
      'GET',
      '/v1/regions/local-1/images/img-x%2Fconstraints',
    );
    expect([slash.status, slash.json.error?.status]).toEqual([400, 'INVALID_ARGUMENT']);
  });
});

/** The signed headers for a request, without sending it (to send its body slowly by hand). */
async function signedRawHeaders(method: string, path: string, body: string): Promise<Record<string, string>> {
  const { computeSignature, formatJdDate, sha256Hex } = await import('@kumo/contract');
  const { randomUUID } = await import('node:crypto');
  const date = formatJdDate(new Date());
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: `127.0.0.1:${port}`,
    'x-jdcloud-date': date,
    'x-jdcloud-nonce': randomUUID(),
  };
  const signedHeaders = Object.keys(headers).sort();
  const signature = computeSignature({
    method,
    path,
    query: '',
    headers,
    signedHeaders,
    bodySha256Hex: sha256Hex(body),
    secretKey: keys.secretKey,
    date,
    regionId: 'local-1',
    service: 'vm',
  });
  headers.authorization =
    `JDCLOUD2-HMAC-SHA256 Credential=${keys.accessKey}/${date.slice(0, 8)}/local-1/vm/jdcloud2_request, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}

test('repeated failed authentications from one address are throttled with 429', async () => {
  const strict = await startKumod({ KUMO_AUTH_FAILURES_PER_MINUTE: '5' });
  try {
    const bad = { accessKey: 'AKWHOEVER', secretKey: 'x'.repeat(40) };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await signedRaw(strict.endpoint, bad, 'GET', '/v1/regions/local-1/keypairs')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  } finally {
    await strict.stop();
    removeDataDir(strict.dataDir);
  }
});

test('200 stalled unauthenticated uploads and 200 slow header senders leave memory bounded', async () => {
  const roomy = await startKumod({
    KUMO_HEADERS_TIMEOUT_SECONDS: '3',
    KUMO_AUTH_FAILURES_PER_MINUTE: '100000',
  });
  const rssMiB = () => {
    const status = readFileSync(`/proc/${roomy.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  };
  const roomyPort = Number(new URL(roomy.endpoint).port);
  const sockets: Socket[] = [];
  try {
    const before = rssMiB();
    let peak = before;
    const chunk = Buffer.alloc(64 * 1024, 0x7b);
    for (let i = 0; i < 200; i++) {
      const upload = connect(roomyPort, '127.0.0.1');
      upload.on('error', () => undefined);
      upload.write(
        'POST /v1/regions/local-1/keypairs HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          'Content-Type: application/json\r\nContent-Length: 262144\r\n\r\n',
      );
      // Three quarters of the body, then stall.
      for (let j = 0; j < 3; j++) upload.write(chunk);
      const slow = connect(roomyPort, '127.0.0.1');
      slow.on('error', () => undefined);
      slow.write('GET /v1/regions/local-1/keypairs HTTP/1.1\r\nHost: 127.0');
      sockets.push(upload, slow);
    }
    for (let t = 0; t < 10; t++) {
      await new Promise((r) => setTimeout(r, 200));
      peak = Math.max(peak, rssMiB());
    }
    process.stdout.write(`front door: RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB\n`);
    // Nothing of an unauthenticated body is kept: 200 × 192 KiB would be 37.5 MiB.
    expect(peak - before).toBeLessThan(25);
    // And kumod still answers.
    expect((await roomy.admin().describeKeypairs()).totalCount).toBe(0);
  } finally {
    sockets.forEach((s) => s.destroy());
    await roomy.stop();
    removeDataDir(roomy.dataDir);
  }
});
