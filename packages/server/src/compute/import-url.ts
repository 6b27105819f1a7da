// Opening the URL a user asks kumod to import an image from. kumod fetches it from inside the
// operator's network, so the URL is a request to reach an address on the user's behalf: every
// address it resolves to — at connect time, for the address actually dialled, so DNS cannot
// answer one thing to a check and another to the connection — must be public, or inside ranges
// the operator allowed (KUMO_IMAGE_IMPORT_ALLOW_CIDRS). Redirects are followed a few times, each
// hop checked the same way. Only the URL's origin is ever put in a message or a log: query
// strings of pre-signed URLs are credentials.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Why a URL could not be opened (said to the user in the import task's message). */
export class ImportUrlError extends Error {}

/** Ranges no import may reach unless the operator allows them: loopback, private, link-local… */
const NON_PUBLIC: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

/** Which addresses imports may reach. */
export class ImportAddressPolicy {
  private readonly denied = new BlockList();
  private readonly allowed = new BlockList();

  /** `allowCidrs`: ranges allowed although not public (the operator's mirrors, a lab's loopback). */
  constructor(allowCidrs: readonly string[]) {
    for (const [a, p, f] of NON_PUBLIC) this.denied.addSubnet(a, p, f);
    for (const c of allowCidrs) {
      const [addr, len] = c.split('/') as [string, string];
      const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      this.allowed.addSubnet(addr, Number(len), family);
    }
  }

  permits(address: string): boolean {
    // An IPv4-mapped IPv6 address is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const a = mapped ?? address;
    const family = isIP(a) === 6 ? 'ipv6' : 'ipv4';
    return this.allowed.check(a, family) || !this.denied.check(a, family);
  }
}

/** A URL's origin only: what messages and logs may show of it. */
export const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
};

/** Checks the URL's form (what the API refuses at once); returns it parsed. */
export function parseImportUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ImportUrlError('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ImportUrlError('must be http or https');
  if (url.username || url.password) throw new ImportUrlError('must not carry credentials before the host');
  return url;
}

/** An open response: its body and the length the server declared. */
export interface OpenedImport {
  body: IncomingMessage;
  declaredBytes: number | undefined;
}

const MAX_REDIRECTS = 3;

/** GETs `raw` under `policy`; resolves with the 200 response's body, or rejects with ImportUrlError. */
export async function openImportUrl(
  raw: string,
  policy: ImportAddressPolicy,
  idleTimeoutMs = 30_000,
  /** Cuts the request at any point (a stopping kumod). */
  signal?: AbortSignal,
): Promise<OpenedImport> {
  let url = parseImportUrl(raw);
  for (let hop = 0; ; hop++) {
    const res = await get(url, policy, idleTimeoutMs, signal);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop === MAX_REDIRECTS) throw new ImportUrlError(`more than ${MAX_REDIRECTS} redirects`);
      url = parseImportUrl(new URL(res.headers.location, url).toString());
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new ImportUrlError(`${url.origin} answered HTTP ${status}`);
    }
    const len = Number(res.headers['content-length']);
    return { body: res, declaredBytes: Number.isSafeInteger(len) ? len : undefined };
  }
}

function get(
  url: URL,
  policy: ImportAddressPolicy,
  idleTimeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An address literal is dialled without a lookup: checked here instead.
  if (isIP(host) && !policy.permits(host))
    return Promise.reject(new ImportUrlError(`${url.origin} is not an address imports may reach`));
  const lookup: LookupFunction = (hostname, options, cb) => {
    const family =
      options.family === 'IPv6' || options.family === 6
        ? 6
        : options.family === 'IPv4' || options.family === 4
          ? 4
          : 0;
    dnsLookup(hostname, { all: true, family }, (err, found: LookupAddress[]) => {
      if (err) return cb(new ImportUrlError(`${url.origin}: the host name does not resolve`), []);
      const refused = found.find((a) => !policy.permits(a.address));
      if (refused || found.length === 0)
        return cb(new ImportUrlError(`${url.origin} is not an address imports may reach`), []);
      if (options.all) return cb(null, found);
      cb(null, found[0]!.address, found[0]!.family);
    });
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'GET', lookup, signal, headers: { 'user-agent': 'kumod-image-import' } },
      resolve,
    );
    req.setTimeout(idleTimeoutMs, () =>
      req.destroy(new ImportUrlError(`${url.origin} did not answer within ${idleTimeoutMs / 1000} s`)),
    );
    req.on('error', (err) =>
      reject(err instanceof ImportUrlError ? err : new ImportUrlError(`${url.origin}: ${err.message}`)),
    );
    req.end();
  });
}
