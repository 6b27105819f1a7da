// Keeps one HostDriver connection per registered host, reconnecting on demand, and probes each
// host's health and capacity. The only place the server opens host connections (through the
// driver factory the composition root picked); it must not decide anything about instances.
import { isHypervisorError, type InstanceEvent } from '@kumo/hypervisor';
import type { HostRecord, HostsModel } from '@kumo/store';
import type { ComputeConfig } from '../config.js';
import type { HostDriver, HostDriverFactory, HostEventFeed } from '../drivers/host-driver.js';
import type { Logger } from '../logger.js';
import { memoryMBFromMiB } from './units.js';

const PROBE_TIMEOUT_MS = 10_000;

/** Resolves like `p`, or rejects after `ms` (running `onTimeout` first). */
async function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void onTimeout().finally(() => reject(new Error(`no answer within ${ms / 1000} s`)));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Listener for lifecycle events of instances on any host. */
export type EventListener = (hostId: string, ev: InstanceEvent) => void;

interface Entry {
  host: Promise<HostDriver>;
  events?: HostEventFeed;
}

/** What tasks and services need of the registry: run something on one host. */
export interface HostAccess {
  with<T>(hostId: string, fn: (h: HostDriver) => Promise<T>): Promise<T>;
}

/** Connections to every host of this control plane. */
export class HostRegistry implements HostAccess {
  private readonly entries = new Map<string, Entry>();
  private listener: EventListener | undefined;

  constructor(
    private readonly hosts: HostsModel,
    private readonly connectDriver: HostDriverFactory,
    private readonly compute: ComputeConfig,
    private readonly log: Logger,
  ) {}

  /** Routes lifecycle events of every connected host to `fn`. */
  onEvent(fn: EventListener): void {
    this.listener = fn;
  }

  /** The storage pool name Kumo uses on every host. */
  get poolName(): string {
    return `${this.compute.libvirtPrefix}pool`;
  }

  /** Connects to a host record's URI (probing the accelerator if not known) and readies its pool. */
  async open(record: Pick<HostRecord, 'uri' | 'accelerator' | 'poolPath'>): Promise<HostDriver> {
    if (record.accelerator === 'probe') {
      // The accelerator probe boots a tiny guest from the pool, so the pool must exist first.
      const first = await this.connect({ ...record, accelerator: 'qemu' });
      await first.close();
    }
    return this.connect(record);
  }

  private async connect(record: Pick<HostRecord, 'uri' | 'accelerator' | 'poolPath'>): Promise<HostDriver> {
    const host = await this.connectDriver({
      uri: record.uri,
      pool: this.poolName,
      namePrefix: this.compute.libvirtPrefix,
      accelerator: record.accelerator,
      vncListen: vncListenFor(record.uri, this.compute.vncListen),
      logger: this.log,
      ...(this.compute.crashAtStep ? { faultInjector: crashAt(this.compute.crashAtStep) } : {}),
    });
    try {
      await host.ensureDirPool(record.poolPath);
    } catch (err) {
      await host.close().catch(() => undefined);
      throw err;
    }
    return host;
  }

  /** The connected Host for a host id, connecting first if needed. */
  async get(hostId: string): Promise<HostDriver> {
    const existing = this.entries.get(hostId);
    if (existing) return existing.host;
    const record = await this.hosts.find(hostId);
    if (!record) throw new Error(`host ${hostId} is not registered`);
    const entry: Entry = { host: this.open(record) };
    this.entries.set(hostId, entry);
    try {
      const host = await entry.host;
      if (record.accelerator === 'probe') {
        // Remember the probe's answer so later connections skip booting a probe guest.
        await this.hosts.setAccelerator(hostId, host.profile.accelerator);
      }
      void this.subscribe(hostId, host, entry);
      return host;
    } catch (err) {
      this.entries.delete(hostId);
      throw err;
    }
  }

  private async subscribe(hostId: string, host: HostDriver, entry: Entry): Promise<void> {
    try {
      entry.events = await host.events();
      for await (const ev of entry.events) this.listener?.(hostId, ev);
    } catch (err) {
      this.log.debug({ err, hostId }, 'event feed ended');
    }
  }

  /** Forgets a host's connection (after it failed) so the next use reconnects. */
  async drop(hostId: string): Promise<void> {
    const entry = this.entries.get(hostId);
    if (!entry) return;
    this.entries.delete(hostId);
    await entry.events?.close().catch(() => undefined);
    await entry.host.then((h) => h.close()).catch(() => undefined);
  }

  /** Runs `fn` on a host; a connection-level failure drops the connection before rethrowing. */
  async with<T>(hostId: string, fn: (h: HostDriver) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.get(hostId));
    } catch (err) {
      if (!isHypervisorError(err) || err.code === 'HOST_UNAVAILABLE') await this.drop(hostId);
      throw err;
    }
  }

  /** Probes one host: records health and capacity. Returns whether it answered. */
  async probe(record: HostRecord): Promise<boolean> {
    try {
      // A host that stopped answering must not stall the sweep until keepalive gives up.
      const cap = await withTimeout(
        this.with(record.id, (h) => h.capacity()),
        PROBE_TIMEOUT_MS,
        async () => {
          await this.drop(record.id);
        },
      );
      await this.hosts.recordHealth(record.id, {
        health: 'up',
        capacity: {
          vcpus: cap.vcpus,
          memoryMB: memoryMBFromMiB(cap.memoryMiB),
          diskGB: Math.floor(cap.poolCapacityBytes / 2 ** 30),
          // Guests can nest only under real KVM; under TCG there is nothing to pass through.
          nestedVirt: cap.accelerator === 'kvm',
        },
      });
      return true;
    } catch (err) {
      const reason = (err as Error).message.slice(0, 300);
      if (record.health !== 'down') this.log.warn({ hostId: record.id, reason }, 'host unreachable');
      await this.hosts.recordHealth(record.id, { health: 'down', reason });
      return false;
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.drop(id)));
  }
}

/** The crash-safety test hook: dies like `kill -9` at the named step, leaving whatever is half done. */
function crashAt(step: string): (current: string) => void {
  return (current) => {
    if (current === step) process.kill(process.pid, 'SIGKILL');
  };
}

/**
 * Where a host's guests listen for VNC: the configured choice, except that a unix socket is of no
 * use on a host kumod reaches over TCP or TLS (those connections open no host sockets), whose guests
 * listen on the host's address from the URI instead, guarded by their VNC password.
 */
export function vncListenFor(uri: string, configured: string): string {
  if (configured !== 'socket') return configured;
  const u = new URL(uri);
  const transport = u.protocol.replace(/:$/, '').split('+')[1] ?? (u.hostname ? 'tls' : 'unix');
  if (transport !== 'tcp' && transport !== 'tls') return configured;
  return u.hostname.replace(/^\[|\]$/g, '');
}
