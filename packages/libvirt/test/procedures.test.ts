// The libvirt integration suite, run over every transport (unix, tcp, tls, ssh) against a real libvirtd:
// every typed procedure on real objects, streams, events, errors, concurrency, and a cross-check with virsh.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  DomainAffect,
  DomainEventType,
  DomainState,
  DomainXmlFlags,
  LibvirtClient,
  LibvirtError,
  NetworkUpdateCommand,
  NetworkUpdateSection,
  StoragePoolState,
  isNoDomain,
  isNoNetwork,
  isNoNwfilter,
  isNoStoragePool,
  isNoStorageVol,
  isOperationInvalid,
  type Domain,
  type DomainLifecycleEvent,
  type EventSubscription,
  type Network,
  type NwFilter,
  type StoragePool,
  type StorageVol,
} from '../src/index.js';
import { startEnv, tempDir, type TestEnv, type TransportKind } from './env.js';
import {
  domainXml,
  networkXml,
  nwfilterXml,
  pattern,
  patternStream,
  poolXml,
  virsh,
  volXml,
  waitFor,
  withRssPeak,
} from './support.js';

const MiB = 1 << 20;

/** Expects `p` to reject with an error that `pred` accepts (codes, never message text). */
async function rejectsWith(p: Promise<unknown>, pred: (e: unknown) => boolean): Promise<void> {
  const outcome = await p.then(
    () => 'resolved',
    (e: unknown) => (pred(e) ? 'matched' : e),
  );
  expect(outcome).toBe('matched');
}
const STREAM_BYTES = 128 * MiB;
const T = 60_000;

const kinds: Array<[TransportKind, number]> = [
  ['unix', 1],
  ['tcp', 2],
  ['tls', 3],
  ['ssh', 4],
];

describe.each(kinds)('libvirt over %s', (kind, k) => {
  const prefix = `kumo-lvtest-${kind}-${process.pid}`;
  // Third octet of the test network's 10.251.x.0/24: per transport and per run, so that parallel
  // runs (e.g. two engineers' test processes) do not fight over one subnet.
  const n = ((process.pid % 60) * 4 + k) % 250;
  let env: TestEnv;
  let c: LibvirtClient;
  let dir: string;
  let pool: StoragePool;
  let base: StorageVol;
  let overlayA: StorageVol;
  let overlayB: StorageVol;
  let net: Network;
  let filter: NwFilter;
  let domA: Domain;
  let domB: Domain;
  let events: EventSubscription<DomainLifecycleEvent>;
  const seen: DomainLifecycleEvent[] = [];

  beforeAll(async () => {
    env = await startEnv(kind);
    c = await LibvirtClient.connect(env.uri, env.opts);
    dir = tempDir(`${prefix}-`);
    events = await c.domainEventLifecycle();
    events.on('event', (e: DomainLifecycleEvent) => seen.push(e));
  }, T);

  afterAll(async () => {
    if (c?.connected) {
      // Best-effort removal of anything a failed test left behind.
      for (const d of await c.connectListAllDomains().catch(() => [])) {
        if (!d.name.startsWith(prefix)) continue;
        await c.domainDestroy(d).catch(() => undefined);
        await c.domainUndefineFlags(d, 0).catch(() => undefined);
      }
      for (const x of await c.connectListAllNetworks().catch(() => [])) {
        if (!x.name.startsWith(prefix)) continue;
        await c.networkDestroy(x).catch(() => undefined);
        await c.networkUndefine(x).catch(() => undefined);
      }
      await c.nwfilterLookupByName(`${prefix}-filter`).then(
        (f) => c.nwfilterUndefine(f),
        () => undefined,
      );
      for (const p of await c.connectListAllStoragePools().catch(() => [])) {
        if (!p.name.startsWith(prefix)) continue;
        for (const v of await c.storagePoolListAllVolumes(p).catch(() => []))
          await c.storageVolDelete(v).catch(() => undefined);
        await c.storagePoolDestroy(p).catch(() => undefined);
        await c.storagePoolUndefine(p).catch(() => undefined);
      }
      await c.close();
    }
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, T);

  it(
    'answers connection and node procedures',
    async () => {
      expect(await c.connectGetVersion()).toBeGreaterThan(1_000_000);
      expect(await c.connectGetLibVersion()).toBeGreaterThanOrEqual(9_000_000);
      expect((await c.connectGetHostname()).length).toBeGreaterThan(0);
      expect(await c.connectGetUri()).toBe('qemu:///system');
      expect(await c.connectGetCapabilities()).toContain('<capabilities>');
      expect(await c.connectGetDomainCapabilities({ virtType: 'qemu', arch: 'x86_64' })).toContain(
        '<domainCapabilities>',
      );
      const info = await c.nodeGetInfo();
      expect(info.model).toBe('x86_64');
      expect(info.cpus).toBeGreaterThan(0);
      expect(info.memory).toBeGreaterThan(0n);
      expect(await c.nodeGetFreeMemory()).toBeGreaterThan(0n);
    },
    T,
  );

  it(
    'refuses a peer whose identity it cannot verify',
    async () => {
      if (kind === 'ssh') {
        const bad = env.uri.replace(/known_hosts=[^&]+/, 'known_hosts=/dev/null');
        await expect(LibvirtClient.connect(bad)).rejects.toBeInstanceOf(LibvirtError);
      } else if (kind === 'tls') {
        const pki = /pkipath=([^&]+)/.exec(env.uri)![1]!;
        // The client certificate is not a CA: the server's certificate cannot verify against it.
        const wrongCa = readFileSync(join(pki, 'clientcert.pem'));
        await expect(LibvirtClient.connect(env.uri, { tls: { ca: wrongCa } })).rejects.toBeInstanceOf(
          LibvirtError,
        );
      }
    },
    T,
  );

  it(
    'reports typed errors for missing objects',
    async () => {
      const missing = `${prefix}-missing`;
      await rejectsWith(c.domainLookupByName(missing), isNoDomain);
      await rejectsWith(c.domainLookupByUuid('00000000-0000-4000-8000-00000000dead'), isNoDomain);
      await rejectsWith(c.networkLookupByName(missing), isNoNetwork);
      await rejectsWith(c.storagePoolLookupByName(missing), isNoStoragePool);
      await rejectsWith(c.nwfilterLookupByName(missing), isNoNwfilter);
      await rejectsWith(c.storageVolLookupByPath(join(dir, 'nope.qcow2')), isNoStorageVol);
    },
    T,
  );

  it(
    'manages a dir storage pool',
    async () => {
      pool = await c.storagePoolDefineXml(poolXml(`${prefix}-pool`, join(dir, 'pool')));
      await c.storagePoolBuild(pool);
      await c.storagePoolCreate(pool);
      await c.storagePoolSetAutostart(pool, false);
      expect(await c.storagePoolLookupByName(pool.name)).toEqual(pool);
      expect(await c.storagePoolLookupByUuid(pool.uuid)).toEqual(pool);
      expect((await c.connectListAllStoragePools()).map((p) => p.name)).toContain(pool.name);
      const info = await c.storagePoolGetInfo(pool);
      expect(info.state).toBe(StoragePoolState.RUNNING);
      expect(info.capacity).toBeGreaterThan(0n);
      expect(await c.storagePoolGetXmlDesc(pool)).toContain(join(dir, 'pool'));
      await rejectsWith(c.storageVolLookupByName(pool, 'nope'), isNoStorageVol);
    },
    T,
  );

  it(
    'creates qcow2 volumes with a backing store, clones, resizes and looks them up',
    async () => {
      base = await c.storageVolCreateXml(pool, volXml('base.qcow2', 64, 'qcow2'));
      const basePath = await c.storageVolGetPath(base);
      expect(basePath).toBe(join(dir, 'pool', 'base.qcow2'));
      overlayA = await c.storageVolCreateXml(pool, volXml('a.qcow2', 64, 'qcow2', basePath));
      overlayB = await c.storageVolCreateXml(pool, volXml('b.qcow2', 64, 'qcow2', basePath));
      expect(await c.storageVolGetXmlDesc(overlayA)).toContain(`<path>${basePath}</path>`);
      const clone = await c.storageVolCreateXmlFrom(pool, volXml('clone.qcow2', 64, 'qcow2'), base);
      await c.storageVolResize(clone, 128 * MiB);
      const info = await c.storageVolGetInfo(clone);
      expect(info.type).toBe(0);
      expect(info.capacity).toBe(BigInt(128 * MiB));
      expect(await c.storageVolLookupByName(pool, 'clone.qcow2')).toEqual(clone);
      expect(await c.storageVolLookupByPath(join(dir, 'pool', 'clone.qcow2'))).toEqual(clone);
      await c.storagePoolRefresh(pool);
      const names = (await c.storagePoolListAllVolumes(pool)).map((v) => v.name).sort();
      expect(names).toEqual(['a.qcow2', 'b.qcow2', 'base.qcow2', 'clone.qcow2']);
      await c.storageVolDelete(clone);
      await rejectsWith(c.storageVolLookupByName(pool, 'clone.qcow2'), isNoStorageVol);
    },
    T,
  );

  it(`uploads then downloads ${STREAM_BYTES / MiB} MiB byte for byte in bounded memory`, async () => {
    const vol = await c.storageVolCreateXml(pool, volXml('stream.raw', STREAM_BYTES / MiB, 'raw'));
    const up = await withRssPeak(() => c.storageVolUpload(vol, patternStream(STREAM_BYTES)));
    let got = 0;
    let mismatch = -1;
    const down = await withRssPeak(async () => {
      const s = await c.storageVolDownload(vol);
      for await (const chunk of s as AsyncIterable<Buffer>) {
        if (mismatch < 0 && !chunk.equals(pattern(got, chunk.length))) mismatch = got;
        got += chunk.length;
      }
    });
    expect(mismatch).toBe(-1);
    expect(got).toBe(STREAM_BYTES);
    // Far less than the data moved: the transfer is streamed, never buffered whole.
    expect(up.growth).toBeLessThan(64 * MiB);
    expect(down.growth).toBeLessThan(64 * MiB);
    // A partial download with an offset returns exactly that range.
    const part = await c.storageVolDownload(vol, { offset: 12_345, length: 1000 });
    const bufs: Buffer[] = [];
    for await (const b of part as AsyncIterable<Buffer>) bufs.push(b);
    expect(Buffer.concat(bufs).equals(pattern(12_345, 1000))).toBe(true);
    await c.storageVolDelete(vol);
  }, 120_000);

  it(
    'aborts an upload whose source fails and keeps the connection usable',
    async () => {
      const vol = await c.storageVolCreateXml(pool, volXml('abort.raw', 4, 'raw'));
      async function* failing() {
        yield Buffer.alloc(MiB, 1);
        throw new Error('source broke');
      }
      await expect(c.storageVolUpload(vol, failing())).rejects.toThrow('source broke');
      const t0 = Date.now();
      expect(await c.connectGetHostname()).toBeTruthy();
      expect(Date.now() - t0).toBeLessThan(2500);
      await c.storageVolDelete(vol);
    },
    T,
  );

  it(
    'manages an isolated network with DHCP host updates',
    async () => {
      net = await c.networkDefineXml(networkXml(`${prefix}-net`, `klv${kind}${process.pid % 10000}`, n));
      await c.networkCreate(net);
      await c.networkSetAutostart(net, false);
      expect(await c.networkLookupByName(net.name)).toEqual(net);
      expect(await c.networkLookupByUuid(net.uuid)).toEqual(net);
      expect((await c.connectListAllNetworks()).map((x) => x.name)).toContain(net.name);
      await c.networkUpdate(
        net,
        NetworkUpdateCommand.ADD_LAST,
        NetworkUpdateSection.IP_DHCP_HOST,
        -1,
        `<host mac='52:54:00:aa:bb:0${k}' name='${prefix}-host' ip='10.251.${n}.50'/>`,
        DomainAffect.LIVE | DomainAffect.CONFIG,
      );
      expect(await c.networkGetXmlDesc(net)).toContain(`ip='10.251.${n}.50'`);
      expect(await c.networkGetDhcpLeases(net)).toEqual([]);
      expect(await c.networkGetDhcpLeases(net, '52:54:00:aa:bb:01')).toEqual([]);
    },
    T,
  );

  it(
    'defines, looks up and removes a network filter',
    async () => {
      filter = await c.nwfilterDefineXml(nwfilterXml(`${prefix}-filter`));
      expect(await c.nwfilterLookupByName(filter.name)).toEqual(filter);
      expect(await c.nwfilterGetXmlDesc(filter)).toContain(`name='${filter.name}'`);
      await c.nwfilterUndefine(filter);
      await rejectsWith(c.nwfilterLookupByName(filter.name), isNoNwfilter);
    },
    T,
  );

  it(
    'edits a defined-but-not-started domain',
    async () => {
      domA = await c.domainDefineXml(domainXml(`${prefix}-a`, { disk: join(dir, 'pool', 'a.qcow2') }));
      expect(domA.id).toBe(-1);
      expect(await c.domainLookupByName(domA.name)).toEqual(domA);
      expect(await c.domainLookupByUuid(domA.uuid)).toEqual(domA);
      expect(await c.domainGetState(domA)).toEqual({
        state: DomainState.SHUTOFF,
        reason: expect.any(Number),
      });
      expect(await c.domainIsActive(domA)).toBe(false);
      await c.domainSetVcpusFlags(domA, 2, DomainAffect.CONFIG);
      await c.domainSetMemoryFlags(domA, 48 * 1024, DomainAffect.CONFIG);
      const info = await c.domainGetInfo(domA);
      expect(info).toMatchObject({ state: DomainState.SHUTOFF, nrVirtCpu: 2, memory: 48n * 1024n });
      const disk = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${join(dir, 'pool', 'b.qcow2')}'/><target dev='vdb' bus='virtio'/></disk>`;
      await c.domainAttachDeviceFlags(domA, disk, DomainAffect.CONFIG);
      expect(await c.domainGetXmlDesc(domA, DomainXmlFlags.INACTIVE)).toContain("dev='vdb'");
      await c.domainDetachDeviceFlags(domA, disk, DomainAffect.CONFIG);
      expect(await c.domainGetXmlDesc(domA, DomainXmlFlags.INACTIVE)).not.toContain("dev='vdb'");
      const block = await c.domainGetBlockInfo(domA, 'vda');
      expect(block.capacity).toBe(BigInt(64 * MiB));
      await c.domainSetAutostart(domA, true);
      expect(await c.domainGetAutostart(domA)).toBe(true);
      await c.domainSetAutostart(domA, false);
      // Redefining with the same UUID updates the definition.
      const again = await c.domainDefineXmlFlags(
        domainXml(domA.name, { disk: join(dir, 'pool', 'a.qcow2'), uuid: domA.uuid }),
        1,
      );
      expect(again.uuid).toBe(domA.uuid);
      await rejectsWith(c.domainShutdown(domA), isOperationInvalid);
    },
    T,
  );

  it(
    'runs a TCG domain through its lifecycle and opens its console',
    async () => {
      domB = await c.domainDefineXml(
        domainXml(`${prefix}-b`, { disk: join(dir, 'pool', 'b.qcow2'), network: net.name }),
      );
      const started = await c.domainCreateWithFlags(domB, 0);
      expect(started.id).toBeGreaterThan(0);
      domB = started;
      expect((await c.domainGetState(domB)).state).toBe(DomainState.RUNNING);
      expect((await c.domainGetInfo(domB)).state).toBe(DomainState.RUNNING);
      expect(await c.domainIsActive(domB)).toBe(true);
      expect((await c.domainGetBlockInfo(domB, 'vda')).capacity).toBe(BigInt(64 * MiB));
      const ifaces = await c.domainInterfaceAddresses(domB, 0);
      expect(Array.isArray(ifaces)).toBe(true);
      const console = await c.domainOpenConsole(domB, null, 1);
      console.write('\r');
      console.destroy();
      await c.domainSuspend(domB);
      expect((await c.domainGetState(domB)).state).toBe(DomainState.PAUSED);
      await c.domainResume(domB);
      const reboots = await c.domainEventReboot(domB);
      const rebooted = new Promise((resolve) => reboots.once('event', resolve));
      await c.domainReset(domB);
      expect(await rebooted).toMatchObject({ dom: { name: domB.name } });
      await reboots.close();
      await c.domainReboot(domB, 0);
      await c.domainShutdown(domB);
      await c.domainShutdownFlags(domB, 1);
      expect((await c.domainGetState(domB)).state).toBe(DomainState.RUNNING);
      await c.domainDestroyFlags(domB, 0);
      expect((await c.domainGetState(domB)).state).toBe(DomainState.SHUTOFF);
      await c.domainCreate(domB);
      await c.domainDestroy(domB);
    },
    T,
  );

  it(
    'creates and destroys a transient domain',
    async () => {
      const d = await c.domainCreateXml(domainXml(`${prefix}-t`, {}));
      expect(d.id).toBeGreaterThan(0);
      await c.domainDestroy(d);
      await rejectsWith(c.domainLookupByName(d.name), isNoDomain);
    },
    T,
  );

  it(
    'agrees with virsh on the domain list, states and XML',
    async () => {
      const ours = (await c.connectListAllDomains()).filter((d) => d.name.startsWith(prefix));
      const theirs = virsh(env.virshUri, 'list', '--all', '--name')
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s.startsWith(prefix));
      expect(ours.map((d) => d.name).sort()).toEqual(theirs.sort());
      const names: Record<string, number> = { running: DomainState.RUNNING, 'shut off': DomainState.SHUTOFF };
      for (const d of ours) {
        expect(names[virsh(env.virshUri, 'domstate', d.name).trim()]).toBe((await c.domainGetState(d)).state);
        expect(await c.domainGetXmlDesc(d)).toBe(virsh(env.virshUri, 'dumpxml', d.name).replace(/\n$/, ''));
        expect(await c.domainGetXmlDesc(d, DomainXmlFlags.INACTIVE)).toBe(
          virsh(env.virshUri, 'dumpxml', '--inactive', d.name).replace(/\n$/, ''),
        );
      }
    },
    T,
  );

  it(
    'serves 50 concurrent calls on one connection',
    async () => {
      const t0 = Date.now();
      const calls = Array.from({ length: 50 }, (_, i) => {
        switch (i % 5) {
          case 0:
            return c.domainGetState(domA).then((s) => s.state === DomainState.SHUTOFF);
          case 1:
            return c.domainLookupByName(domB.name).then((d) => d.uuid === domB.uuid);
          case 2:
            return c.domainGetXmlDesc(domA).then((x) => x.includes(domA.name));
          case 3:
            return c.storagePoolGetInfo(pool).then((p) => p.state === StoragePoolState.RUNNING);
          default:
            return c.domainLookupByName(`${prefix}-none-${i}`).then(() => false, isNoDomain);
        }
      });
      expect(await Promise.all(calls)).toEqual(Array(50).fill(true));
      // Well under the 5 s keepalive interval: no call may sit unprocessed at the server (the TLS
      // record stall this client works around would show up here as ~5 s).
      expect(Date.now() - t0).toBeLessThan(2500);
    },
    T,
  );

  it(
    'undefines domains and tears down the network and pool',
    async () => {
      await c.domainUndefineFlags(domA, 0);
      await c.domainUndefine(domB);
      await rejectsWith(c.domainLookupByName(domA.name), isNoDomain);
      await c.networkDestroy(net);
      await c.networkUndefine(net);
      await rejectsWith(c.networkLookupByName(net.name), isNoNetwork);
      for (const v of [overlayA, overlayB, base]) await c.storageVolDelete(v);
      await c.storagePoolDestroy(pool);
      await c.storagePoolDelete(pool);
      await c.storagePoolUndefine(pool);
      await rejectsWith(c.storagePoolLookupByName(pool.name), isNoStoragePool);
    },
    T,
  );

  it(
    'delivered lifecycle events for define, start, destroy and undefine',
    async () => {
      const has = (name: string, ev: number) => seen.some((e) => e.dom.name === name && e.event === ev);
      const name = `${prefix}-b`;
      await waitFor(() => has(name, DomainEventType.UNDEFINED));
      for (const ev of [
        DomainEventType.DEFINED,
        DomainEventType.STARTED,
        DomainEventType.STOPPED,
        DomainEventType.UNDEFINED,
      ]) {
        expect([ev, has(name, ev)]).toEqual([ev, true]);
      }
    },
    T,
  );

  it(
    're-registers event callbacks after a reconnect',
    async () => {
      await c.reconnect();
      const name = `${prefix}-r`;
      const d = await c.domainDefineXml(domainXml(name, {}));
      await c.domainUndefine(d);
      expect(
        await waitFor(() => seen.some((e) => e.dom.name === name && e.event === DomainEventType.UNDEFINED)),
      ).toBe(true);
      const iter = events[Symbol.asyncIterator]();
      const next = iter.next();
      const d2 = await c.domainDefineXml(domainXml(`${name}2`, {}));
      expect((await next).value).toMatchObject({ dom: { name: `${name}2` }, event: DomainEventType.DEFINED });
      await iter.return?.();
      await c.domainUndefine(d2);
      await events.close();
    },
    T,
  );
});
