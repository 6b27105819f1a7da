// SSH key handling for keypairs: parse and vet OpenSSH public keys, generate RSA keypairs, and
// compute MD5 fingerprints in the same colon-hex form as `ssh-keygen -l -E md5`.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import sshpk from 'sshpk';
import { Errors } from '@kumo/contract';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A vetted public key in canonical OpenSSH form. */
export interface PublicKeyInfo {
  /** `type base64 [comment]`, one line. */
  openssh: string;
  fingerprint: string;
}

const ACCEPTED_TYPES = new Set(['rsa', 'ed25519', 'ecdsa']);
const MAX_PUBLIC_KEY_BYTES = 16 * 1024;
const MIN_RSA_BITS = 2048;

/** Parses one OpenSSH public key line; anything else is FAILED_PRECONDITION "Malformed PublicKey". */
export function parsePublicKey(text: string): PublicKeyInfo {
  const trimmed = text.trim();
  if (trimmed.length === 0 || Buffer.byteLength(trimmed) > MAX_PUBLIC_KEY_BYTES) {
    throw Errors.malformedPublicKey('(empty or too long)');
  }
  if (/[\r\n]/.test(trimmed)) throw Errors.malformedPublicKey('(exactly one key line expected)');
  const parts = trimmed.split(/\s+/);
  if (!/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521))$/.test(parts[0] ?? '')) {
    throw Errors.malformedPublicKey('(key type must be ssh-rsa, ssh-ed25519 or ecdsa-sha2-*)');
  }
  let key: sshpk.Key;
  try {
    key = sshpk.parseKey(trimmed, 'ssh');
  } catch {
    throw Errors.malformedPublicKey('(not a valid OpenSSH public key)');
  }
  if (!ACCEPTED_TYPES.has(key.type)) throw Errors.malformedPublicKey(`(unsupported key type ${key.type})`);
  if (key.type === 'rsa' && key.size < MIN_RSA_BITS) {
    throw Errors.malformedPublicKey(`(RSA keys must have at least ${MIN_RSA_BITS} bits)`);
  }
  // The comment is kept only when it is plain printable ASCII: it later lands in cloud-init YAML.
  const comment = parts.slice(2).join(' ');
  const body = `${parts[0]} ${parts[1]}`;
  const openssh = comment && /^[\x20-\x7e]{1,256}$/.test(comment) ? `${body} ${comment}` : body;
  return { openssh, fingerprint: key.fingerprint('md5').toString('hex') };
}

/** A new RSA 2048 keypair: the private key as unencrypted PKCS#8 PEM, the public key vetted. */
export async function generateRsaKeypair(
  comment: string,
): Promise<PublicKeyInfo & { privateKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const pub = sshpk.parseKey(publicKey, 'pem');
  pub.comment = comment;
  return { ...parsePublicKey(pub.toString('ssh')), privateKeyPem: privateKey };
}
