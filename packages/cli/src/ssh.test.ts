// Unit tests for the ssh command line of `kumo instance ssh`.
import { knownHostsPath, sshArgs, SSH_USER } from './ssh.js';

describe('sshArgs', () => {
  const base = {
    instanceId: 'i-abc',
    ip: '10.0.0.12',
    user: 'root',
    keyFile: '/k/id.pem',
    knownHostsFile: '/h/.kumo/known_hosts',
  };
  it('logs in with the named key, accepting a new host key into Kumo’s known_hosts under the instance id', () => {
    expect(sshArgs({ ...base, command: [] })).toEqual([
      '-i',
      '/k/id.pem',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      'UserKnownHostsFile=/h/.kumo/known_hosts',
      '-o',
      'HostKeyAlias=i-abc',
      '-l',
      'root',
      '10.0.0.12',
    ]);
  });
  it('passes a remote command after --', () => {
    expect(sshArgs({ ...base, command: ['-x', 'uname -a'] }).slice(-4)).toEqual([
      '10.0.0.12',
      '--',
      '-x',
      'uname -a',
    ]);
  });
  it('keeps known_hosts under ~/.kumo and accepts only plain login names', () => {
    expect(knownHostsPath('/home/me')).toBe('/home/me/.kumo/known_hosts');
    expect(SSH_USER.test('debian')).toBe(true);
    expect(SSH_USER.test('-oProxyCommand=x')).toBe(false);
    expect(SSH_USER.test('a b')).toBe(false);
  });
});
