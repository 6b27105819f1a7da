// Two kumods on one database with the `s3` image store (the test environment's Ceph RGW): an image
// made through the first kumod of an instance on the first host is launched through the second
// kumod on a host registered after the first kumod was stopped and its data directory removed, so
// the image's bytes can only come from the bucket. The guest finds the file written before, under
// its own hostname. The bucket holds the image under its hash and no half-written object.
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { KumoClient } from '@kumo/client';
import { startTestHost, stopAllTestHosts, type TestHost } from '../../support/hosts.js';
import { clientFor, startKumod } from '../../support/kumod.js';
import { probeInSubnet, type Probe } from '../../support/ovn-probe.js';
import { startGuestCloud, subnetOf, tinyInstance, waitStatus, type GuestCloud } from './support.js';

jest.setTimeout(20 * 60_000);
const endpoint = process.env.CEPH_S3_ENDPOINT;
const run = endpoint ? describe : describe.skip;

run('images in the s3 store, two kumods', () => {
  const bucket = `kumo-img-${process.pid}`;
  const s3Env = {
    KUMO_IMAGE_STORE: 's3',
    KUMO_IMAGE_S3_ENDPOINT: endpoint ?? '',
    KUMO_IMAGE_S3_BUCKET: bucket,
    KUMO_IMAGE_S3_ACCESS_KEY: process.env.CEPH_S3_ACCESS_KEY ?? '',
    KUMO_IMAGE_S3_SECRET_KEY: process.env.CEPH_S3_SECRET_KEY ?? '',
  };
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: s3Env.KUMO_IMAGE_S3_ACCESS_KEY,
      secretAccessKey: s3Env.KUMO_IMAGE_S3_SECRET_KEY,
    },
  });
  let cloud: GuestCloud;
  let keys: { accessKey: string; secretKey: string };
  let probe: Probe | undefined;

  beforeAll(async () => {
    cloud = await startGuestCloud('kimgs3', '10.249', { noLocalHost: true, env: s3Env });
    keys = await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 's3imager' } });
  }, 10 * 60_000);

  afterAll(async () => {
    await probe?.remove();
    await cloud?.cleanup();
    await stopAllTestHosts();
    s3.destroy();
  });

  async function addHost(admin: KumoClient, name: string): Promise<{ host: TestHost; id: string }> {
    const host = await startTestHost(name);
    const r = await admin.adminRequest<{ host: { hostId: string } }>('POST', '/hosts', {
      body: {
        ...{ name, uri: host.uri, regionId: 'local-1', az: 'local-1a', poolPath: host.poolPath },
        ...{ accelerator: 'qemu', chassis: host.netns, cpuRatio: 1, memoryRatio: 1, diskRatio: 20 },
      },
    });
    return { host, id: r.host.hostId };
  }

  const objects = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
      (o) => o.Key!,
    );

  const domainsOn = async (h: TestHost) =>
    (await h.virsh(['list', '--all', '--name'])).split('\n').map((s) => s.trim().slice(cloud.prefix.length));

  async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  test('an image made through one kumod boots through the other on a host the first never saw', async () => {
    const first = cloud.kumod;
    const s1 = await addHost(first.admin(), 's3h1');
    let user = clientFor(first.endpoint, keys);
    const kp = await user.createKeypair('s3-key');
    const subnetId = await subnetOf(user, 'local-1a');
    const launch = async (c: KumoClient, name: string, imageId: string) => {
      const { instanceIds } = await c.createInstances(
        tinyInstance(cloud, name, {
          imageId,
          keyNames: ['s3-key'],
          primaryNetworkInterface: { networkInterface: { subnetId } },
        }),
      );
      await waitStatus(c, instanceIds[0]!, 'running', 300_000);
      return instanceIds[0]!;
    };
    const src = await launch(user, 's3-src', cloud.images.tiny);
    expect(await domainsOn(s1.host)).toContain(src);

    const keyFile = join(mkdtempSync(join(tmpdir(), 'kumo-s3img-')), 'id');
    writeFileSync(keyFile, kp.privateKey, { mode: 0o600 });
    probe = await probeInSubnet(user, subnetId, 'kumo-s3-probe');
    const ssh = async (c: KumoClient, id: string, cmd: string) => {
      const ip = (await c.describeInstance(id)).instance.privateIpAddress;
      return probe!
        .exec([
          ...['ssh', '-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
          ...['-o', 'ConnectTimeout=3', `root@${ip}`, cmd],
        ])
        .then((s) => s.trim());
    };
    const proof = `s3-proof-${Date.now()}`;
    await until('the source answering SSH', 300_000, async () =>
      (await ssh(user, src, `echo ${proof} > /mnt/root/proof && sync && cat /mnt/root/proof`)) === proof
        ? true
        : undefined,
    );
    await user.stopInstance(src);
    await waitStatus(user, src, 'stopped', 120_000);

    const before = await objects('sha256/');
    const { imageId } = await user.createImage(src, { name: 's3-made', description: '' });
    await until('the image ready', 300_000, async () => {
      const { image } = await user.describeImage(imageId);
      if (image.status === 'error') throw new Error(`image ${imageId} failed`);
      return image.status === 'ready' ? true : undefined;
    });
    // One new object, named by its hash; no temporary object left behind.
    const after = await objects('sha256/');
    expect(after.filter((k) => !before.includes(k))).toEqual([
      expect.stringMatching(/^sha256\/[0-9a-f]{64}$/),
    ]);
    expect(await objects('tmp/')).toEqual([]);

    // The first kumod goes, and its data directory with it.
    await first.stop();
    rmSync(first.dataDir, { recursive: true, force: true });
    const second = await startKumod(cloud.env, { adminCredentials: first.credentials });
    cloud.kumod = second;
    const admin = second.admin();
    const s2 = await addHost(admin, 's3h2');
    await admin.adminRequest('POST', `/hosts/${s1.id}:drain`);
    user = clientFor(second.endpoint, keys);
    const copy = await launch(user, 's3-copy', imageId);
    expect(await domainsOn(s2.host)).toContain(copy);
    expect(await domainsOn(s1.host)).not.toContain(copy);
    expect(
      await until('the copy answering SSH', 300_000, async () => {
        const out = await ssh(user, copy, 'cat /mnt/root/proof; hostname');
        return out.includes('\n') ? out : undefined;
      }),
    ).toBe(`${proof}\ns3-copy`);

    for (const id of [copy, src]) await user.deleteInstance(id);
    for (const id of [copy, src]) await waitStatus(user, id, 'deleted', 180_000);
    await user.deleteImage(imageId);
  });
});
