// Builds the NoCloud seed files (meta-data, user-data, network-config, and the keys file a boot
// command reads) from an instance spec. Pure: YAML is emitted by the yaml package with every
// string quoted, so no input can add keys.
import { parse, stringify, YAMLParseError } from 'yaml';
import { HypervisorError } from '../errors.js';
import type { InstanceSpec } from '../spec.js';

/** The seed's files, as text. */
export type SeedFiles = {
  'meta-data': string;
  'user-data': string;
  'network-config': string;
  /** The authorized keys, one per line, which the boot command installs at every boot. */
  [KEYS_FILE]: string;
};

/** The seed's file of authorized keys (read at every boot, so a new seed changes a guest's keys). */
export const KEYS_FILE = 'kumo-authorized-keys';

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const SSH_KEY =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\r\n]*)?$/;

/** Rejects values that could not be valid in the seed; the message names the field. */
export function validateSeedInputs(spec: InstanceSpec): void {
  const bad = (field: string): never => {
    // Not a host fault: another host would refuse it the same way.
    throw new HypervisorError('INVALID_ARGUMENT', `invalid ${field}`);
  };
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(spec.id)) bad('instance id');
  if (!HOSTNAME.test(spec.hostname)) bad('hostname');
  if (!MAC.test(spec.nic.mac)) bad('MAC address');
  if (!IPV4.test(spec.nic.ip) || !IPV4.test(spec.nic.gateway)) bad('IP address');
  if (!Number.isInteger(spec.nic.prefix) || spec.nic.prefix < 1 || spec.nic.prefix > 32) bad('prefix');
  for (const d of spec.nic.dns) if (!IPV4.test(d)) bad('DNS server');
  if (
    spec.nic.mtu !== undefined &&
    !(Number.isInteger(spec.nic.mtu) && spec.nic.mtu >= 576 && spec.nic.mtu <= 9000)
  )
    bad('MTU');
  for (const k of spec.login.authorizedKeys) if (!SSH_KEY.test(k.trim())) bad('SSH public key');
  if (spec.login.passwordHash !== undefined && !/^\$[0-9a-z]+\$[^\s:]+$/.test(spec.login.passwordHash))
    bad('password hash');
}

// Every string is double-quoted: PyYAML (YAML 1.1) would otherwise read a MAC such as 52:54:00:12:34:56
// as a base-60 integer and a hostname like "on" as a boolean. lineWidth 0 keeps SSH keys on one line.
function yaml(doc: unknown): string {
  return stringify(doc, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Operator config is the base; Kumo's identity settings win for scalars and are appended to lists.
function merge(base: Obj, ours: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(ours)) {
    const b = out[k];
    if (Array.isArray(b) && Array.isArray(v)) out[k] = [...v, ...b];
    else if (isObj(b) && isObj(v)) out[k] = merge(b, v);
    else out[k] = v;
  }
  return out;
}

/**
 * A boot command (cloud-init runs `bootcmd` at every boot, from the user data of the first): the
 * seed's keys file replaces the authorized keys of the users Kumo gives keys, so keys associated
 * with a stopped instance (a new seed) take effect at its next start. On the first boot the
 * default user does not exist yet and is skipped: cloud-init's own ssh module writes its keys.
 */
function keysBootCommand(users: string[]): string[] {
  const install = (mode: string) => `install ${mode} -o "$u" -g "$(id -gn "$u")"`;
  const script = [
    'm=$(mktemp -d)',
    `mount -o ro LABEL=cidata "$m" 2>/dev/null || { rmdir "$m"; exit 0; }`,
    `if [ -f "$m/${KEYS_FILE}" ]; then for u in ${users.join(' ')}`,
    'do h=$(getent passwd "$u" | cut -d: -f6)',
    '[ -n "$h" ] && [ -d "$h" ] || continue',
    `${install('-d -m 700')} "$h/.ssh"`,
    `${install('-m 600')} "$m/${KEYS_FILE}" "$h/.ssh/authorized_keys"`,
    'done; fi',
    'umount "$m"; rmdir "$m"',
  ].join('; ');
  return ['sh', '-c', script];
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

function cloudConfig(spec: InstanceSpec): Obj {
  const user = spec.image.defaultUser;
  const keys = spec.login.authorizedKeys.map((k) => k.trim());
  const rootGetsKeys = spec.login.rootLogin ?? user === 'root';
  const keyUsers = [...new Set([user, ...(rootGetsKeys ? ['root'] : [])])];
  if (!keyUsers.every((u) => USER_NAME.test(u)))
    throw new HypervisorError('INVALID_ARGUMENT', 'invalid default user name in the image manifest');
  const cfg: Obj = {
    bootcmd: [keysBootCommand(keyUsers)],
    users: ['default'],
    ssh_authorized_keys: keys,
    // With disable_root false cloud-init gives root the same keys; otherwise root logins are refused.
    disable_root: !rootGetsKeys,
    ssh_pwauth: spec.image.sshPasswordAuth && spec.login.passwordHash !== undefined,
    preserve_hostname: false,
    manage_etc_hosts: true,
  };
  if (spec.login.passwordHash !== undefined) {
    cfg.chpasswd = {
      expire: false,
      users: [{ name: user, password: spec.login.passwordHash, type: 'hash' }],
    };
  }
  return cfg;
}

/**
 * Checks user data as the seed builder will read it, so a request can be refused before anything
 * is placed; the message says where, never what (user data may hold secrets).
 */
export function checkUserData(userData: string | undefined): void {
  const extra = userData?.replace(/\r\n/g, '\n');
  if (extra?.startsWith('#cloud-config')) parseCloudConfig(extra);
}

function parseCloudConfig(text: string): Obj | null {
  let theirs: unknown;
  try {
    theirs = parse(text);
  } catch (err) {
    const at = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new HypervisorError('INVALID_ARGUMENT', `invalid user-data: #cloud-config is not valid YAML${at}`);
  }
  if (theirs !== null && !isObj(theirs))
    throw new HypervisorError('INVALID_ARGUMENT', 'invalid user-data: #cloud-config must be a mapping');
  return theirs;
}

function userData(spec: InstanceSpec): string {
  const ours = cloudConfig(spec);
  const extra = spec.userData?.replace(/\r\n/g, '\n');
  if (extra === undefined || extra.trim() === '') return `#cloud-config\n${yaml(ours)}`;
  if (extra.startsWith('#cloud-config')) {
    const theirs = parseCloudConfig(extra);
    return `#cloud-config\n${yaml(merge(theirs ?? {}, ours))}`;
  }
  // Scripts and other formats go beside Kumo's config in a MIME multipart, which cloud-init splits.
  // The boundary is one the data does not contain (deterministic, so a rebuilt seed is the same).
  let boundary = `kumo-${spec.id}-boundary`;
  for (let n = 1; extra.includes(boundary); n++) boundary = `kumo-${spec.id}-boundary-${n}`;
  const type = extra.startsWith('#!') ? 'text/x-shellscript' : 'text/plain';
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    'MIME-Version: 1.0',
    '',
    `--${boundary}`,
    'Content-Type: text/cloud-config; charset="utf-8"',
    '',
    `#cloud-config\n${yaml(ours)}`,
    `--${boundary}`,
    `Content-Type: ${type}; charset="utf-8"`,
    '',
    extra,
    `--${boundary}--`,
    '',
  ].join('\n');
}

/** Builds the seed files for an instance (validating its inputs first). */
export function buildSeedFiles(spec: InstanceSpec): SeedFiles {
  validateSeedInputs(spec);
  const network = {
    version: 2,
    ethernets: {
      eth0: {
        match: { macaddress: spec.nic.mac },
        'set-name': 'eth0',
        addresses: [`${spec.nic.ip}/${spec.nic.prefix}`],
        gateway4: spec.nic.gateway,
        ...(spec.nic.dns.length > 0 ? { nameservers: { addresses: spec.nic.dns } } : {}),
        ...(spec.nic.mtu !== undefined ? { mtu: spec.nic.mtu } : {}),
      },
    },
  };
  return {
    'meta-data': yaml({ 'instance-id': spec.id, 'local-hostname': spec.hostname }),
    'user-data': userData(spec),
    'network-config': yaml(network),
    [KEYS_FILE]: spec.login.authorizedKeys.map((k) => `${k.trim()}\n`).join(''),
  };
}
