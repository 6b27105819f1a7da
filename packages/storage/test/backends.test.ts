// Both storage backends against the test environment's real libvirtd and (for rbd) its real Ceph:
// prepare a host, create, grow, snapshot, clone from a snapshot, restore, attach to a running and
// a stopped domain (the disk id as serial), refuse what has dependents, remove; after each, what
// libvirt and `rbd ls` show agrees with what the backend says.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DomainXmlFlags, LibvirtClient, SecretUsageType } from '@kumo/libvirt';
import { LocalBackend, RbdBackend, domainDisks, type DiskBackend, type StorageHost } from '../src/index.js';
import { bareDomain, cephMonitor, cephPool, dropDomain, haveCeph, rbd, tempDir } from './support.js';

const GiB = 1 << 30;
const T = 120_000;
const host: StorageHost = { id: 'host-1', uri: 'qemu:///system' };
const tag = `kstor-${process.pid}`;

type Kind = 'local' | 'rbd';
const kinds: Kind[] = haveCeph() ? ['local', 'rbd'] : ['local'];

describe.each(kinds)('%s backend', (kind) => {
  let lv: LibvirtClient;
  let backend: DiskBackend;
  let cleanup: () => void = () => undefined;
  const poolName = `${tag}-${kind}`;
  const dom = `${tag}-${kind}-dom`;

  beforeAll(async () => {
    lv = await LibvirtClient.connect(host.uri);
    if (kind === 'local') {
      const dir = tempDir(`${poolName}-`);
      backend = new LocalBackend({ poolName, path: dir });
      cleanup = () => rmSync(dir, { recursive: true, force: true });
    } else {
      const c = cephPool(poolName);
      backend = new RbdBackend({
        poolName,
        cephPool: c.pool,
        monitors: [{ host: cephMonitor().split(':')[0]!, port: Number(cephMonitor().split(':')[1]) }],
        user: c.user,
        key: c.key,
      });
      cleanup = () => c.drop();
    }
    await backend.prepareHost(host);
    // Twice: preparing is idempotent.
    await backend.prepareHost(host);
  }, T);

  afterAll(async () => {
    await dropDomain(lv, dom);
    for (const id of await backend.listVolumes(host).catch(() => [] as string[])) {
      for (const s of ['snap-a', 'snap-b']) await backend.removeSnapshot(id, s, host).catch(() => undefined);
    }
    for (const id of ['vol-clone', 'vol-a', 'snap-a'])
      await backend.removeVolume(id, host).catch(() => undefined);
    await backend.releaseHost(host).catch(() => undefined);
    await backend.close();
    await lv.close();
    cleanup();
  }, T);

  it(
    'creates a volume once, grows it, lists it, and reports capacity',
    async () => {
      await backend.ensureVolume('vol-a', 20 * GiB, host);
      await backend.ensureVolume('vol-a', 20 * GiB, host);
      expect(await backend.volumeSize('vol-a', host)).toBe(20 * GiB);
      await backend.growVolume('vol-a', 30 * GiB, host);
      await backend.growVolume('vol-a', 20 * GiB, host); // never shrinks
      expect(await backend.volumeSize('vol-a', host)).toBe(30 * GiB);
      expect(await backend.listVolumes(host)).toEqual(['vol-a']);
      const cap = await backend.capacity(host);
      expect(cap.totalBytes).toBeGreaterThan(0);
      expect(cap.freeBytes).toBeLessThanOrEqual(cap.totalBytes);
      if (kind === 'rbd') {
        expect(rbd('ls', poolName).trim().split('\n')).toEqual(['vol-a']);
        // Every host has the cephx secret and the rbd pool.
        const s = await lv.secretLookupByUsage(SecretUsageType.CEPH, poolName);
        expect(s.usageId).toBe(poolName);
        await lv.storagePoolLookupByName(poolName);
      }
    },
    T,
  );

  it(
    'hot-attaches to a running domain with the disk id as serial, and detaches while stopped',
    async () => {
      await bareDomain(lv, dom);
      const at = { host, domain: dom };
      const target = await backend.attach('vol-a', at);
      expect(target).toBe('vdb');
      // Idempotent: a second attach keeps the target.
      expect(await backend.attach('vol-a', at)).toBe('vdb');
      const d = await lv.domainLookupByName(dom);
      const live = domainDisks(await lv.domainGetXmlDesc(d, 0));
      const config = domainDisks(await lv.domainGetXmlDesc(d, DomainXmlFlags.INACTIVE));
      expect(live.map((x) => [x.target, x.serial])).toEqual([['vdb', 'vol-a']]);
      expect(config.map((x) => [x.target, x.serial])).toEqual([['vdb', 'vol-a']]);
      // QEMU sees the whole volume.
      expect((await lv.domainGetBlockInfo(d, 'vdb')).capacity).toBe(BigInt(30 * GiB));
      // Online grow goes through QEMU.
      await backend.growVolume('vol-a', 40 * GiB, host, at);
      expect((await lv.domainGetBlockInfo(d, 'vdb')).capacity).toBe(BigInt(40 * GiB));
      expect(await backend.volumeSize('vol-a', host)).toBe(40 * GiB);
      // A taken device name is refused cleanly.
      await backend.ensureVolume('vol-b', 20 * GiB, host);
      await expect(backend.attach('vol-b', at, 'vdb')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await backend.removeVolume('vol-b', host);
      // A snapshot of the attached disk while the guest runs: rbd takes it (the guest runs on);
      // local refuses cleanly (QEMU's image lock), leaving no snapshot volume.
      if (kind === 'rbd') {
        await backend.ensureSnapshot('vol-a', 'snap-b', host, at);
        expect((await lv.domainGetState(d)).state).toBe(1);
        await backend.removeSnapshot('vol-a', 'snap-b', host);
      } else {
        await expect(backend.ensureSnapshot('vol-a', 'snap-b', host, at)).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
        expect(await backend.listVolumes(host)).toEqual(['vol-a']);
      }
      // Stopped (no guest OS here to acknowledge a live unplug): the definition lets it go.
      await lv.domainDestroy(d);
      await backend.detach('vol-a', at);
      await backend.detach('vol-a', at);
      expect(domainDisks(await lv.domainGetXmlDesc(d, DomainXmlFlags.INACTIVE))).toEqual([]);
      // Cold attach to the stopped domain: in the definition, at the wanted name.
      expect(await backend.attach('vol-a', at, 'vdd')).toBe('vdd');
      expect(domainDisks(await lv.domainGetXmlDesc(d, DomainXmlFlags.INACTIVE)).map((x) => x.serial)).toEqual(
        ['vol-a'],
      );
      await backend.detach('vol-a', at);
    },
    T,
  );

  it(
    'snapshots, clones a larger disk from the snapshot, refuses removing what has dependents, restores',
    async () => {
      await backend.ensureSnapshot('vol-a', 'snap-a', host);
      await backend.ensureSnapshot('vol-a', 'snap-a', host);
      await backend.ensureVolume('vol-clone', 50 * GiB, host, { diskId: 'vol-a', snapshotId: 'snap-a' });
      expect(await backend.volumeSize('vol-clone', host)).toBe(50 * GiB);
      if (kind === 'rbd') {
        // A copy-on-write clone of the snapshot: its parent is the snapshot.
        expect(rbd('info', `${poolName}/vol-clone`)).toContain(`parent: ${poolName}/vol-a@snap-a`);
        await expect(backend.removeSnapshot('vol-a', 'snap-a', host)).rejects.toMatchObject({
          code: 'HAS_DEPENDENTS',
        });
        await expect(backend.removeVolume('vol-a', host)).rejects.toMatchObject({ code: 'HAS_DEPENDENTS' });
      }
      await backend.restoreSnapshot('vol-a', 'snap-a', host);
      expect(await backend.volumeSize('vol-a', host)).toBe(40 * GiB);
      await backend.removeVolume('vol-clone', host);
      await backend.removeSnapshot('vol-a', 'snap-a', host);
      await backend.removeSnapshot('vol-a', 'snap-a', host);
      await backend.removeVolume('vol-a', host);
      await backend.removeVolume('vol-a', host);
      expect(await backend.volumeSize('vol-a', host)).toBeUndefined();
      expect(await backend.listVolumes(host)).toEqual([]);
      if (kind === 'rbd') expect(rbd('ls', poolName).trim()).toBe('');
    },
    T,
  );

  it(
    'moveVolume to a host that sees the same pool (rbd; a local directory both share) keeps the one volume',
    async () => {
      // Another host id on the same libvirtd: for local, one directory seen from both sides, which
      // the move must recognise and leave alone rather than copy a file onto itself.
      const other: StorageHost = { id: 'host-2', uri: host.uri };
      await backend.ensureVolume('vol-mv', 20 * GiB, host);
      await backend.moveVolume('vol-mv', host, other);
      await backend.moveVolume('vol-mv', host, other);
      expect(await backend.volumeSize('vol-mv', other)).toBe(20 * GiB);
      expect(await backend.listVolumes(host)).toEqual(['vol-mv']);
      await backend.removeVolume('vol-mv', host);
      expect(await backend.listVolumes(host)).toEqual([]);
    },
    T,
  );

  it(
    'keeps an image base while a root disk is cloned from it, and removes it after',
    async () => {
      const key = 'a'.repeat(64);
      if (kind === 'local') {
        // A local root is an overlay on the host's image volume: the backend keeps no base.
        expect(await backend.removeImageBase(key)).toBe('absent');
        expect(await backend.listImageBases()).toEqual([]);
        return;
      }
      const dir = tempDir(`${tag}-img-`);
      try {
        const file = join(dir, 'image.qcow2');
        execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, '64M']);
        const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
        const image = { key: sha, format: 'qcow2' as const, open: async () => createReadStream(file) };
        await backend.ensureVolume('vol-root', 1 * GiB, host, { image });
        expect(rbd('ls', poolName).trim().split('\n').sort()).toEqual([`img-${sha}`, 'vol-root']);
        expect(await backend.listImageBases()).toEqual([sha]);
        expect(await backend.listImageBases()).not.toContain('vol-root');
        expect(await backend.removeImageBase(sha)).toBe('in-use');
        expect(rbd('ls', poolName)).toContain(`img-${sha}`);
        await backend.removeVolume('vol-root', host);
        expect(await backend.removeImageBase(sha)).toBe('removed');
        expect(rbd('ls', poolName).trim()).toBe('');
        expect(await backend.listImageBases()).toEqual([]);
        expect(await backend.removeImageBase(sha)).toBe('absent');
        // A key that is not a sha256 never reaches the command line.
        await expect(backend.removeImageBase('x; rm -rf /')).rejects.toThrow(/sha256/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    T,
  );
});
