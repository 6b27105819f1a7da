// Cloud disks in real guests, on the test environment's Ceph (rbd): a 20 GiB disk hot-attached to
// a running tiny guest appears there with its id as the virtio serial; a pattern written from the
// guest survives detach (the device disappears) and is read back from a second instance; a
// snapshot taken while attached gives a 30 GiB disk with the same pattern; extendDisk grows the
// device under the running guest; deleteInstance deletes an autoDelete disk. The test
// environment has one libvirt host, so the second instance runs on the same host (rbd disks do
// not depend on it: any host of the AZ opens the same image).
import { jest } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import type { KumoClient } from '@kumo/client';
import { cephMonitor, cephPool, haveCeph, rbd } from '../../../packages/storage/test/support.js';
import { expectJdShape } from '../../support/jd-shapes.js';
import { percentile, timeAttachDetach, timingSummary } from './disk-timing.js';
import { newAccount } from '../../support/kumod.js';
import {
  EIP,
  loginIp,
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  tinyInstance,
  waitSsh,
  waitStatus,
  type GuestCloud,
  virsh,
} from './support.js';

jest.setTimeout(10 * 60_000);
const run = haveCeph() ? describe : describe.skip;
const R = '/v1/regions/local-1';
const GiB = 2 ** 30;

run('cloud disks in guests (rbd)', () => {
  let cloud: GuestCloud;
  let user: KumoClient;
  let pool: ReturnType<typeof cephPool>;
  let key: string;
  // The backend's rbd pool and cephx secret on the host (named with the cloud's libvirt prefix).
  let libvirtName = '';
  let keep: { id: string; sh: (cmd: string) => Promise<string> } | undefined;

  beforeAll(async () => {
    pool = cephPool(`kstor-guest-${process.pid}`);
    cloud = await startGuestCloud('kstordisk', '10.223', { env: { KUMO_STORAGE_INTERVAL_MS: '200' } });
    const added = await cloud.admin.adminRequest<{ storageBackend: { storageBackendId: string } }>(
      'POST',
      '/storageBackends',
      {
        body: {
          az: 'local-1a',
          kind: 'rbd',
          cephPool: pool.pool,
          monitors: [cephMonitor()],
          user: pool.user,
          key: pool.key,
        },
      },
    );
    libvirtName = `${cloud.prefix}rbd-${added.storageBackend.storageBackendId}`;
    user = await newAccount(cloud.kumod, 'disks');
    key = opensshPrivateKey((await user.createKeypair('disk-key')).privateKey);
  }, 5 * 60_000);

  afterAll(async () => {
    await cloud?.cleanup();
    if (libvirtName) {
      for (const args of [
        ['pool-destroy', libvirtName],
        ['pool-undefine', libvirtName],
      ]) {
        try {
          virsh(...args);
        } catch {
          // absent: nothing to remove
        }
      }
      const line = virsh('secret-list')
        .split('\n')
        .find((l) => l.includes(libvirtName));
      if (line) virsh('secret-undefine', line.trim().split(/\s+/)[0]!);
    }
    pool?.drop();
  });

  const req = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object) =>
    user.request<T>(method, `${R}${path}`, body ? { body } : {});

  async function diskIs(diskId: string, want: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 300; i++) {
      const { disk } = await req<{ disk: { status: string } & Record<string, unknown> }>(
        'GET',
        `/disks/${diskId}`,
      );
      if (disk.status === want) return disk;
      if (disk.status.startsWith('error')) throw new Error(`disk ${diskId} is ${disk.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`disk ${diskId} never became ${want}`);
  }

  async function boot(name: string): Promise<{ id: string; sh: (cmd: string) => Promise<string> }> {
    const { instanceIds } = await user.createInstances(
      tinyInstance(cloud, name, { keyNames: ['disk-key'], elasticIp: EIP }),
    );
    const id = instanceIds[0]!;
    await waitStatus(user, id, 'running', 180_000);
    const ip = await loginIp(user, id);
    await waitSsh(ip, 'root', key, 180_000);
    return { id, sh: (cmd) => sshExec(ip, 'root', key, cmd, 30_000).then((s) => s.trim()) };
  }

  /** Polls the guest until `cmd` prints `want`. */
  async function guestSees(sh: (cmd: string) => Promise<string>, cmd: string, want: string): Promise<void> {
    let last = '';
    for (let i = 0; i < 100; i++) {
      last = await sh(cmd).catch((e: Error) => e.message);
      if (last === want) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`guest printed ${JSON.stringify(last)} for ${cmd}, not ${want}`);
  }

  const PATTERN = 'kumo-disk-pattern-0123456789';
  // The guest names virtio disks in PCI order (its seed disk comes before ours), so a disk is found
  // by its serial, as udev's /dev/disk/by-id/virtio-<serial> links do (the tiny image has no udev).
  const bySerial = (id: string, what: 'size' | 'dev') =>
    `r=none; for d in /sys/block/vd*; do [ "$(cat $d/serial 2>/dev/null)" = "${id}" ] && r=${what === 'size' ? '$(cat $d/size)' : '/dev/$(basename $d)'}; done; echo $r`;

  test('attach → see → write → detach → attach elsewhere → read; snapshot → larger disk; extend; autoDelete', async () => {
    const [a, b] = await Promise.all([boot('disk-a'), boot('disk-b')]);
    keep = b;
    const create = async (token: string, sizeGb: number, snapshotId?: string) => {
      const { diskIds } = await req<{ diskIds: string[] }>('POST', '/disks', {
        diskSpec: {
          az: 'local-1a',
          name: token,
          diskType: 'ssd',
          diskSizeGB: sizeGb,
          ...(snapshotId ? { snapshotId } : {}),
        },
        maxCount: 1,
        clientToken: token,
      });
      await diskIs(diskIds[0]!, 'available');
      return diskIds[0]!;
    };
    const diskId = await create('d1', 20);

    // Hot-attach: the guest sees a 20 GiB virtio disk whose serial is the disk id.
    const t0 = Date.now();
    await req('POST', `/instances/${a.id}:attachDisk`, { diskId });
    await guestSees(a.sh, bySerial(diskId, 'size'), String((20 * GiB) / 512));
    const attachMs = Date.now() - t0;
    const devA = await a.sh(bySerial(diskId, 'dev'));
    // The instance shows it in dataDisks[], in the shape JD's SDKs decode.
    const shown = await user.describeInstance(a.id);
    expectJdShape('vm.DescribeInstanceResult', shown);
    expect(shown.instance.dataDisks).toEqual([
      expect.objectContaining({
        diskCategory: 'cloud',
        autoDelete: false,
        status: 'attached',
        deviceName: expect.stringMatching(/^vd[b-z]$/),
        cloudDisk: expect.objectContaining({ diskId, status: 'in-use', diskSizeGB: 20 }),
      }),
    ]);
    const attached = await diskIs(diskId, 'in-use');
    expect(attached.attachments).toEqual([expect.objectContaining({ instanceId: a.id, status: 'attached' })]);
    await a.sh(`printf '${PATTERN}' | dd of=${devA} bs=512 count=1 conv=sync,fsync 2>/dev/null; sync`);

    // Detach: the device goes from the guest, the disk is available again.
    await req('POST', `/instances/${a.id}:detachDisk`, { diskId });
    await diskIs(diskId, 'available');
    await guestSees(a.sh, bySerial(diskId, 'size'), 'none');

    // The second instance reads the pattern.
    await req('POST', `/instances/${b.id}:attachDisk`, { diskId });
    await guestSees(b.sh, bySerial(diskId, 'size'), String((20 * GiB) / 512));
    const devB = await b.sh(bySerial(diskId, 'dev'));
    expect(await b.sh(`dd if=${devB} bs=${PATTERN.length} count=1 2>/dev/null`)).toBe(PATTERN);

    // Snapshot while attached, a 30 GiB disk from it, attached to the first instance.
    const { snapshotId } = await req<{ snapshotId: string }>('POST', '/snapshots', {
      snapshotSpec: { name: 's1', diskId },
      clientToken: 's1',
    });
    for (let i = 0; i < 300; i++) {
      const { snapshot } = await req<{ snapshot: { status: string } }>('GET', `/snapshots/${snapshotId}`);
      if (snapshot.status === 'available') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const copyId = await create('d2', 30, snapshotId);
    await req('POST', `/instances/${a.id}:attachDisk`, { diskId: copyId, autoDelete: true });
    await guestSees(a.sh, bySerial(copyId, 'size'), String((30 * GiB) / 512));
    const devCopy = await a.sh(bySerial(copyId, 'dev'));
    expect(await a.sh(`dd if=${devCopy} bs=${PATTERN.length} count=1 2>/dev/null`)).toBe(PATTERN);

    // extendDisk while attached to the running guest: the guest sees the new size.
    await req('POST', `/disks/${diskId}:extend`, { diskSizeGB: 40 });
    await diskIs(diskId, 'in-use');
    await guestSees(b.sh, bySerial(diskId, 'size'), String((40 * GiB) / 512));

    // deleteInstance: the autoDelete disk goes with it; the other instance's disk stays.
    await user.deleteInstance(a.id);
    await waitStatus(user, a.id, 'deleted', 120_000);
    for (let i = 0; i < 300 && rbd('ls', pool.pool).includes(copyId); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(rbd('ls', pool.pool).trim().split('\n').sort()).toEqual([diskId]);
    console.log(`attach → visible in guest: ${attachMs} ms`);
  });

  // The numbers of bench/disks (bash bench/disks/run.sh runs this file with more rounds).
  test('timings: attach → visible and detach → gone in the guest, create-from-snapshot by size', async () => {
    // The first test's second instance, or (run alone, as bench/disks does) a new one.
    const g = keep ?? (await boot('disk-t'));
    const rounds = Number(process.env.KSTOR_BENCH_ROUNDS ?? 3);
    // q35 guests hot-plug into free PCIe root ports, and libvirt leaves a domain few spare ones:
    // the first test's disk goes first, so its port takes the timed disk.
    const { disks: held } = await req<{ disks: { diskId: string }[] }>(
      'GET',
      `/disks?filters.1.name=instanceId&filters.1.values.1=${g.id}`,
    );
    for (const d of held) {
      await req('POST', `/instances/${g.id}:detachDisk`, { diskId: d.diskId });
      await diskIs(d.diskId, 'available');
    }
    const { diskIds } = await req<{ diskIds: string[] }>('POST', '/disks', {
      diskSpec: { az: 'local-1a', name: 'timed', diskType: 'ssd', diskSizeGB: 20 },
      maxCount: 1,
      clientToken: 'timed',
    });
    const id = diskIds[0]!;
    await diskIs(id, 'available');
    const times = await timeAttachDetach({
      rounds,
      sh: g.sh,
      sizeCmd: bySerial(id, 'size'),
      attach: () => req('POST', `/instances/${g.id}:attachDisk`, { diskId: id }),
      detach: () => req('POST', `/instances/${g.id}:detachDisk`, { diskId: id }),
      attached: () => diskIs(id, 'in-use'),
      detached: () => diskIs(id, 'available'),
    });
    const { snapshotId } = await req<{ snapshotId: string }>('POST', '/snapshots', {
      snapshotSpec: { name: 'timed', diskId: id },
      clientToken: 'timed-snap',
    });
    for (let i = 0; i < 300; i++) {
      const { snapshot } = await req<{ snapshot: { status: string } }>('GET', `/snapshots/${snapshotId}`);
      if (snapshot.status === 'available') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const clone: string[] = [];
    // Sizes count against the test Ceph's OSD (500 GiB, sparse).
    for (const gb of [20, 100, 200]) {
      const t0 = performance.now();
      const made = await req<{ diskIds: string[] }>('POST', '/disks', {
        diskSpec: { az: 'local-1a', name: `clone${gb}`, diskType: 'ssd', diskSizeGB: gb, snapshotId },
        maxCount: 1,
        clientToken: `clone-${gb}`,
      });
      await diskIs(made.diskIds[0]!, 'available');
      clone.push(`${gb} GB ${(performance.now() - t0).toFixed(0)} ms`);
    }
    console.log(`rbd, ${rounds} rounds: ${timingSummary(times)}; create from snapshot: ${clone.join(', ')}`);
    expect(percentile(times.attach, 99)).toBeLessThan(5000);
    expect(percentile(times.detach, 99)).toBeLessThan(10000);
  });
});
