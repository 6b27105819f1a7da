import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostUri, hostUriWarnings } from './host-uri.js';

const keyDir = mkdtempSync(join(tmpdir(), 'kumo-keys-'));
writeFileSync(join(keyDir, 'kvm'), 'KEY');
writeFileSync(join(keyDir, 'known_hosts'), '');
mkdirSync(join(keyDir, 'pki'));
symlinkSync('/etc/passwd', join(keyDir, 'escape'));
const strict = { keyDir, allowInsecure: false };
const lax = { keyDir, allowInsecure: true };
const refused = (uri: string, policy = strict) => {
  try {
    checkHostUri(uri, policy);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

describe('checkHostUri', () => {
  it('accepts what each transport needs, with key material from the key directory', () => {
    expect(refused('qemu:///system')).toBeUndefined();
    expect(refused('qemu+tls://kvm-07.example/system')).toBeUndefined();
    expect(refused(`qemu+tls://kvm-07.example/system?pkipath=${keyDir}/pki`)).toBeUndefined();
    expect(
      refused(
        `qemu+ssh://root@kvm-07:2222/system?keyfile=${keyDir}/kvm&known_hosts=${keyDir}/known_hosts&socket=/var/run/libvirt/libvirt-sock`,
      ),
    ).toBeUndefined();
  });

  it('refuses local sockets, files outside the key directory, unknown parameters', () => {
    expect(refused('qemu+unix:///system?socket=/run/postgresql/.s.PGSQL.5432')).toMatch(
      /'socket' is not accepted/,
    );
    expect(refused('qemu+ssh://h/system?socket=/tmp/evil.sock')).toMatch(/under \/run\/libvirt/);
    expect(refused('qemu+ssh://h/system?keyfile=/etc/shadow')).toMatch(/inside/);
    expect(refused(`qemu+ssh://h/system?keyfile=${keyDir}/escape`)).toMatch(/inside/);
    expect(refused(`qemu+ssh://h/system?keyfile=${keyDir}/pki`)).toMatch(/must name a file/);
    expect(refused('qemu+ssh://h/system?command=/bin/sh')).toMatch(/'command' is not accepted/);
    expect(refused('qemu+tls://h/system?pkipath=/etc')).toMatch(/inside/);
  });

  it('takes plaintext TCP and no_verify only with the operator flag, then with a warning', () => {
    expect(refused('qemu+tcp://10.0.0.7/system')).toMatch(/KUMO_ALLOW_INSECURE_HOSTS/);
    expect(refused('qemu+tls://h/system?no_verify=1')).toMatch(/KUMO_ALLOW_INSECURE_HOSTS/);
    expect(refused('qemu+tcp://10.0.0.7/system', lax)).toBeUndefined();
    expect(refused('qemu+tls://h/system?no_verify=1', lax)).toBeUndefined();
    expect(hostUriWarnings('qemu+tcp://10.0.0.7/system')).toEqual([
      'plaintext TCP: libvirt traffic is neither encrypted nor authenticated',
    ]);
    expect(hostUriWarnings('qemu+tls://h/system?no_verify=1')).toEqual([
      'no_verify=1: the host is not authenticated',
    ]);
    expect(hostUriWarnings('qemu+tls://h/system')).toEqual([]);
  });
});
