// The address policy of importImage URLs, and openImportUrl against a loopback server: what is
// reached, what is refused before any connection, redirects checked hop by hop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ImportAddressPolicy,
  ImportUrlError,
  openImportUrl,
  originOf,
  parseImportUrl,
} from './import-url.js';

test('only public addresses, unless the operator allowed a range', () => {
  const strict = new ImportAddressPolicy([]);
  const verdicts = (p: ImportAddressPolicy) =>
    Object.fromEntries(
      [
        '93.184.216.34',
        '127.0.0.1',
        '10.1.2.3',
        '169.254.169.254',
        '100.64.0.1',
        '::1',
        '::ffff:127.0.0.1',
        'fe80::1',
        'fd00::1',
        '2606:4700::1111',
      ].map((a) => [a, p.permits(a)]),
    );
  expect(verdicts(strict)).toEqual({
    '93.184.216.34': true,
    '127.0.0.1': false,
    '10.1.2.3': false,
    '169.254.169.254': false,
    '100.64.0.1': false,
    '::1': false,
    '::ffff:127.0.0.1': false,
    'fe80::1': false,
    'fd00::1': false,
    '2606:4700::1111': true,
  });
  const lab = new ImportAddressPolicy(['127.0.0.0/8', 'fd00::/8']);
  expect([
    lab.permits('127.0.0.1'),
    lab.permits('::ffff:127.0.0.1'),
    lab.permits('fd00::1'),
    lab.permits('10.1.2.3'),
  ]).toEqual([true, true, true, false]);
});

test('URLs: http(s) only, no credentials before the host; messages show the origin only', () => {
  expect(() => parseImportUrl('ftp://example.com/a.qcow2')).toThrow('must be http or https');
  expect(() => parseImportUrl('http://u:p@example.com/a')).toThrow('must not carry credentials');
  expect(() => parseImportUrl('not a url')).toThrow('not a URL');
  expect(originOf('https://bucket.example.com/a.qcow2?X-Amz-Signature=secret')).toBe(
    'https://bucket.example.com',
  );
});

describe('openImportUrl', () => {
  let server: Server;
  let base: string;
  let hits: string[];
  beforeAll(async () => {
    hits = [];
    server = createServer((req, res) => {
      hits.push(req.url!);
      if (req.url === '/image') return void res.end(Buffer.from('QFI\xfbdata', 'latin1'));
      if (req.url === '/hop') return void res.writeHead(302, { location: '/image' }).end();
      if (req.url === '/away') return void res.writeHead(302, { location: 'http://10.255.255.1/x' }).end();
      if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const lab = new ImportAddressPolicy(['127.0.0.0/8']);
  const body = async (url: string, p = lab) => {
    const o = await openImportUrl(url, p);
    const chunks: Buffer[] = [];
    for await (const c of o.body) chunks.push(c as Buffer);
    return { text: Buffer.concat(chunks).toString('latin1'), declared: o.declaredBytes };
  };

  it('reads a 200 and follows a redirect on the same origin', async () => {
    expect(await body(`${base}/image`)).toEqual({ text: 'QFI\xfbdata', declared: 8 });
    expect(await body(`${base}/hop`)).toEqual({ text: 'QFI\xfbdata', declared: 8 });
  });

  it('refuses what it may not reach, before connecting', async () => {
    hits.length = 0;
    const strict = new ImportAddressPolicy([]);
    await expect(openImportUrl(`${base}/image`, strict)).rejects.toThrow(
      `${base} is not an address imports may reach`,
    );
    // localhost resolves to loopback: refused by name as by address.
    await expect(openImportUrl(`http://localhost:1/image`, strict)).rejects.toThrow(
      'is not an address imports may reach',
    );
    expect(hits).toEqual([]);
    // A redirect out of the allowed ranges is refused at its hop.
    await expect(openImportUrl(`${base}/away`, lab)).rejects.toThrow('http://10.255.255.1 is not an address');
    expect(hits).toEqual(['/away']);
  });

  it('says what went wrong: an HTTP error, too many redirects, nothing listening', async () => {
    await expect(openImportUrl(`${base}/missing?sig=secret`, lab)).rejects.toThrow(
      `${base} answered HTTP 404`,
    );
    await expect(openImportUrl(`${base}/loop`, lab)).rejects.toThrow('more than 3 redirects');
    const err = await openImportUrl('http://127.0.0.1:1/x', lab).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportUrlError);
    expect(String(err)).not.toContain('secret');
  });
});
