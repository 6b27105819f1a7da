// kumod's TLS identity: the operator's certificate and key (KUMO_TLS_CERT/KUMO_TLS_KEY), or, for the
// embedded default, a self-signed certificate made once at first start in the data directory. It only
// reads and writes files in the data directory and runs `openssl` (no shell); it never logs keys.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** What the HTTPS server is given, plus what clients need to trust it. */
export interface TlsIdentity {
  cert: Buffer;
  key: Buffer;
  /** The certificate file clients trust (the CA for a self-signed certificate). */
  certFile: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers and `openssl x509 -fingerprint` show it. */
  fingerprint256: string;
  selfSigned: boolean;
}

/** Loads the configured certificate and key, failing with a message that names the file. */
export function loadTlsIdentity(certFile: string, keyFile: string): TlsIdentity {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  return { cert, key, certFile, fingerprint256: fingerprintOf(cert, certFile), selfSigned: false };
}

/**
 * The embedded default's certificate under `dataDir/tls`, made on first start: EC P-256, 10 years,
 * valid for localhost, the loopback addresses, this machine's name and the listen address.
 */
export function ensureSelfSigned(dataDir: string, listenHost: string): TlsIdentity {
  const dir = join(dataDir, 'tls');
  const certFile = join(dir, 'kumod.crt');
  const keyFile = join(dir, 'kumod.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const names = new Set(['DNS:localhost', 'IP:127.0.0.1', 'IP:::1']);
    const host = hostname();
    if (/^[A-Za-z0-9.-]{1,253}$/.test(host)) names.add(`DNS:${host}`);
    if (isIP(listenHost) && listenHost !== '0.0.0.0' && listenHost !== '::') names.add(`IP:${listenHost}`);
    else if (/^[A-Za-z0-9.-]{1,253}$/.test(listenHost) && !isIP(listenHost)) names.add(`DNS:${listenHost}`);
    // Written beside the final names and renamed, so a crash never leaves half a certificate.
    const tmpCert = `${certFile}.tmp`;
    const tmpKey = `${keyFile}.tmp`;
    rmSync(tmpCert, { force: true });
    rmSync(tmpKey, { force: true });
    try {
      execFileSync(
        'openssl',
        [
          ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
          ...['-days', '3650', '-subj', '/CN=kumod', '-addext', `subjectAltName=${[...names].join(',')}`],
          ...['-addext', 'basicConstraints=critical,CA:TRUE', '-keyout', tmpKey, '-out', tmpCert],
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
      throw new Error(
        `cannot make a self-signed TLS certificate with openssl: ${stderr || (err as Error).message}`,
        { cause: err },
      );
    }
    // The directory is 0700 already; the key is also owner-only on its own.
    chmodSync(tmpKey, 0o600);
    renameSync(tmpKey, keyFile);
    renameSync(tmpCert, certFile);
  }
  return { ...loadTlsIdentity(certFile, keyFile), selfSigned: true };
}

function fingerprintOf(cert: Buffer, file: string): string {
  try {
    return new X509Certificate(cert).fingerprint256;
  } catch {
    throw new Error(`${file} is not a PEM certificate`);
  }
}
