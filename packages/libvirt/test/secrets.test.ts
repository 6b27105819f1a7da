// The secret procedures and block resize against the test environment's real libvirtd (unix
// socket): a cephx-style secret defined, valued, found by usage, read back and removed; a running
// domain's disk grown under it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  BlockResizeFlags,
  LibvirtClient,
  SecretUsageType,
  isNoSecret,
  type Domain,
  type StoragePool,
} from '../src/index.js';
import { tempDir } from './env.js';
import { domainXml, poolXml, virsh, volXml } from './support.js';

const URI = 'qemu:///system';
const prefix = `kstor-lvsecret-${process.pid}`;
const T = 60_000;

describe('secrets and block resize', () => {
  let c: LibvirtClient;
  let dir: string;
  let pool: StoragePool | undefined;
  let dom: Domain | undefined;

  beforeAll(async () => {
    c = await LibvirtClient.connect(URI);
    dir = tempDir(`${prefix}-`);
  }, T);

  afterAll(async () => {
    const usage = `${prefix} secret`;
    await c.secretLookupByUsage(SecretUsageType.CEPH, usage).then(
      (s) => c.secretUndefine(s),
      () => undefined,
    );
    if (dom) {
      await c.domainDestroy(dom).catch(() => undefined);
      await c.domainUndefineFlags(dom, 0).catch(() => undefined);
    }
    if (pool) {
      for (const v of await c.storagePoolListAllVolumes(pool).catch(() => []))
        await c.storageVolDelete(v).catch(() => undefined);
      await c.storagePoolDestroy(pool).catch(() => undefined);
      await c.storagePoolUndefine(pool).catch(() => undefined);
    }
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }, T);

  it('defines a ceph secret, sets its value, finds it by usage and removes it', async () => {
    const usage = `${prefix} secret`;
    const xml = `<secret ephemeral='no' private='no'><usage type='ceph'><name>${usage}</name></usage></secret>`;
    const s = await c.secretDefineXml(xml);
    expect(s).toMatchObject({ usageType: SecretUsageType.CEPH, usageId: usage });
    // A cephx key is 16 bytes of key material plus a header: any bytes round-trip.
    const value = randomBytes(28);
    await c.secretSetValue(s, value);
    const found = await c.secretLookupByUsage(SecretUsageType.CEPH, usage);
    expect(found.uuid).toBe(s.uuid);
    expect(Buffer.compare(await c.secretGetValue(found), value)).toBe(0);
    expect(await c.secretGetXmlDesc(found)).toContain(usage);
    // virsh agrees on the value (base64), so libvirt stored exactly these bytes.
    expect(virsh(URI, 'secret-get-value', s.uuid).trim()).toBe(value.toString('base64'));
    // A second secret for the same usage is refused; redefining it under its UUID is not, and
    // keeps the value (what an idempotent ensure relies on).
    await expect(c.secretDefineXml(xml)).rejects.toMatchObject({ code: 1 });
    const again = xml.replace('<usage', `<uuid>${s.uuid}</uuid><usage`);
    expect((await c.secretDefineXml(again)).uuid).toBe(s.uuid);
    expect(Buffer.compare(await c.secretGetValue(found), value)).toBe(0);
    await c.secretUndefine(found);
    const gone = await c.secretLookupByUsage(SecretUsageType.CEPH, usage).then(
      () => 'found',
      (e: unknown) => (isNoSecret(e) ? 'gone' : e),
    );
    expect(gone).toBe('gone');
    await expect(c.secretLookupByUuid(s.uuid)).rejects.toMatchObject({ code: 66 });
  });

  it(
    'grows a running domain disk with domainBlockResize',
    async () => {
      pool = await c.storagePoolDefineXml(poolXml(`${prefix}-pool`, dir));
      await c.storagePoolBuild(pool);
      await c.storagePoolCreate(pool);
      const vol = await c.storageVolCreateXml(pool, volXml(`${prefix}-disk.qcow2`, 64, 'qcow2'));
      const path = join(dir, `${prefix}-disk.qcow2`);
      dom = await c.domainDefineXml(domainXml(`${prefix}-dom`, { disk: path }));
      await c.domainCreate(dom);
      await c.domainBlockResize(dom, 'vda', 128 << 20, BlockResizeFlags.BYTES);
      expect((await c.domainGetBlockInfo(dom, 'vda')).capacity).toBe(BigInt(128 << 20));
      // The volume itself grew (qcow2 header), not only QEMU's view of it.
      expect((await c.storageVolGetInfo(vol)).capacity).toBe(BigInt(128 << 20));
    },
    T,
  );
});
