// One create through the API with the Debian image and real cloud-init: the keypair, password,
// hostname, static address and the user's cloud-config all arrive in the guest; then a key pair
// associated with the stopped guest through Tencent's API replaces its key at the next boot.
import { jest } from '@jest/globals';
import { join } from 'node:path';
import sshpk from 'sshpk';
import type { KumoClient } from '@kumo/client';
import { buildImage } from '../../../packages/hypervisor/test/support.js';
import { codeOf, cvmClient } from '../../support/cvm-sdk.js';
import { clientFor } from '../../support/kumod.js';
import {
  EIP,
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  waitSsh,
  waitStatus,
  type GuestCloud,
} from './support.js';

jest.setTimeout(20 * 60_000);

let cloud: GuestCloud;
let user: KumoClient;
let keys: { accessKey: string; secretKey: string };

beforeAll(async () => {
  cloud = await startGuestCloud('apideb', '10.246');
  const debian = await buildImage('debian');
  await cloud.admin.adminRequest('POST', '/images:import', {
    body: { manifestPath: join(debian.dir, 'manifest.json'), regionId: 'local-1', name: 'debian-12' },
  });
  keys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'debian-user' } });
  user = clientFor(cloud.kumod.endpoint, keys);
});

afterAll(async () => {
  await cloud?.cleanup();
});

test('createInstances with the Debian image: cloud-init applies key, hostname, address and user data', async () => {
  const images = await user.describeImages({ platform: 'Debian' });
  expect(images.images.map((i: { name: string }) => i.name)).toEqual(['debian-12']);
  const imageId = images.images[0]!.imageId;
  const kp = await user.createKeypair('deb-key');
  const key = opensshPrivateKey(kp.privateKey);
  const cloudConfig =
    '#cloud-config\nwrite_files:\n  - path: /etc/kumo-userdata\n    content: "hello from user data\\n"\n';
  const { instanceIds } = await user.createInstances({
    instanceSpec: {
      name: 'deb-1',
      az: 'local-1a',
      instanceType: 't.n1.small',
      imageId,
      keyNames: ['deb-key'],
      password: 'Kumo-Pass1',
      systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 40 } },
      userdata: [{ key: 'launch-script', value: Buffer.from(cloudConfig).toString('base64') }],
      elasticIp: EIP,
    },
  });
  const id = instanceIds[0]!;
  await waitStatus(user, id, 'running', 300_000);
  const { instance } = await user.describeInstance(id);
  const ip = instance.elasticIpAddress!;
  const t0 = Date.now();
  await waitSsh(ip, 'debian', key, 10 * 60_000);
  console.log(`debian via API: SSH ready ${((Date.now() - t0) / 1000).toFixed(1)} s after running`);
  const sh = (cmd: string) => sshExec(ip, 'debian', key, cmd, 60_000).then((s) => s.trim());
  // cloud-init's last stage runs well after SSH answers under TCG; wait for it to finish.
  expect(await sh('cloud-init status --wait >/dev/null; cloud-init status')).toContain('done');
  expect(await sh('hostname')).toBe('deb-1');
  const publicBlob = sshpk.parsePrivateKey(kp.privateKey, 'pem').toPublic().toString('ssh').split(' ')[1]!;
  expect(await sh('cat ~/.ssh/authorized_keys')).toContain(publicBlob);
  expect(await sh('ip -4 -o addr show')).toContain(`inet ${instance.privateIpAddress}/24`);
  expect(await sh('cat /etc/kumo-userdata')).toBe('hello from user data');
  expect(await sh('sudo grep "^debian:" /etc/shadow | cut -d: -f2 | cut -c1-3')).toBe('$6$');
  expect(Number(await sh('nproc'))).toBe(1);
  expect(Number(await sh('lsblk -bdno SIZE /dev/vda'))).toBe(40 * 2 ** 30);

  // Tencent's AssociateInstancesKeyPairs on the stopped guest: a new seed with the new key, which
  // cloud-init's per-boot command installs; the old key no longer opens it, the disk is kept.
  await sh('touch ~/before-keys');
  const kp2 = await user.createKeypair('deb-key-2');
  const key2 = opensshPrivateKey(kp2.privateKey);
  await user.stopInstance(id);
  await waitStatus(user, id, 'stopped', 300_000);
  const cvm = cvmClient(cloud.kumod.endpoint, keys);
  const cvmId = `ins-${id.slice(2)}`;
  expect(
    await codeOf(cvm.AssociateInstancesKeyPairs({ InstanceIds: [cvmId], KeyIds: ['skey-deb-key-2'] })),
  ).toBe(undefined);
  await waitStatus(user, id, 'stopped', 120_000);
  expect((await user.describeInstance(id)).instance.keyNames).toEqual(['deb-key-2']);
  await user.startInstance(id);
  await waitStatus(user, id, 'running', 300_000);
  await waitSsh(ip, 'debian', key2, 10 * 60_000);
  expect((await sshExec(ip, 'debian', key2, 'ls ~/before-keys', 60_000)).trim()).toMatch(/before-keys$/);
  await expect(sshExec(ip, 'debian', key, 'true', 30_000)).rejects.toThrow();

  await user.deleteInstance(id);
  await waitStatus(user, id, 'deleted', 180_000);
});
