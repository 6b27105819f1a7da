// An in-memory HostDriver for unit tests of server logic: instances, images and networks are
// records in maps, every call is logged, and a test can make any method fail once or always.
// Used only by *.test.ts files; production code never imports testing/.
import { Readable, type Duplex } from 'node:stream';
import {
  HypervisorError,
  type ConsoleLog,
  type ExtraNic,
  type InstanceEvent,
  type InstanceSpec,
  type InstanceType,
  type PowerState,
} from '@kumo/hypervisor';
import type { HostDriver, HostEventFeed, HostInstance } from '../drivers/host-driver.js';

type Method = Exclude<keyof HostDriver, 'profile'>;

/** One host's worth of fake state. */
export class FakeHostDriver implements HostDriver {
  readonly profile = { accelerator: 'kvm' as const };
  /** Power state of every instance the host knows. */
  readonly instances = new Map<string, PowerState>();
  readonly images = new Set<string>();
  readonly networks = new Set<string>();
  /** Flattened root disk exports by `instance:tag`, with their bytes. */
  readonly exports = new Map<string, Buffer>();
  /** The bytes a flattenRoot of an instance writes (default: its id, repeated). */
  readonly rootBytes = new Map<string, Buffer>();
  /** Instances whose volumes are in the pool (spawn adds, destroy removes). */
  readonly volumes = new Set<string>();
  /** MACs of each instance's secondary NICs, in plug order. */
  readonly nics = new Map<string, string[]>();
  /** Every call, in order, as `method:firstArgument`. */
  readonly calls: string[] = [];
  private readonly failures = new Map<Method, { error: Error; times: number }>();
  private readonly listeners = new Set<(ev: InstanceEvent) => void>();

  constructor(readonly name = 'fake') {}

  /** Makes `method` throw `error` for the next `times` calls (Infinity: always). */
  failNext(
    method: Method,
    error: Error = new HypervisorError('START_FAILED', `${method} failed`, method),
    times = 1,
  ) {
    this.failures.set(method, { error, times });
  }

  private async call(method: Method, arg?: unknown): Promise<void> {
    this.calls.push(arg === undefined ? method : `${method}:${String(arg)}`);
    const f = this.failures.get(method);
    if (f && f.times > 0) {
      f.times--;
      throw f.error;
    }
  }

  private emit(id: string, kind: InstanceEvent['kind']): void {
    for (const l of this.listeners) l({ id, kind } as InstanceEvent);
  }

  async close(): Promise<void> {
    await this.call('close');
  }
  async ensureDirPool(path: string): Promise<void> {
    await this.call('ensureDirPool', path);
  }
  async capacity() {
    await this.call('capacity');
    return {
      vcpus: 8,
      memoryMiB: 16384,
      poolCapacityBytes: 100 * 2 ** 30,
      poolAvailableBytes: 90 * 2 ** 30,
      accelerator: 'kvm' as const,
    };
  }
  async ensureImage(manifest: { name: string }): Promise<void> {
    await this.call('ensureImage', manifest.name);
    this.images.add(manifest.name);
  }
  async flattenRoot(id: string, tag: string): Promise<void> {
    await this.call('flattenRoot', id);
    if (this.must(id) !== 'stopped')
      throw new HypervisorError('INVALID_STATE', `flatten-root needs instance ${id} stopped`);
    this.exports.set(`${id}:${tag}`, this.rootBytes.get(id) ?? Buffer.from(id.repeat(1000)));
  }
  async readFlattened(id: string, tag: string): Promise<Readable> {
    await this.call('readFlattened', id);
    const b = this.exports.get(`${id}:${tag}`);
    if (!b) throw new HypervisorError('NOT_FOUND', `instance ${id} has no export ${tag}`);
    return Readable.from([b]);
  }
  async removeFlattened(id: string, tag: string): Promise<void> {
    await this.call('removeFlattened', id);
    this.exports.delete(`${id}:${tag}`);
  }
  async removeNetwork(name: string): Promise<void> {
    await this.call('removeNetwork', name);
    this.networks.delete(name);
  }
  /** The specs of every spawn, in order. */
  readonly spawned: InstanceSpec[] = [];

  async spawn(spec: InstanceSpec, opts: { start?: boolean } = {}): Promise<void> {
    this.spawned.push(spec);
    await this.call('spawn', spec.id);
    this.volumes.add(spec.id);
    if (opts.start === false) {
      if (!this.instances.has(spec.id)) this.instances.set(spec.id, 'stopped');
      return;
    }
    this.instances.set(spec.id, 'running');
    this.emit(spec.id, 'started');
  }
  async powerOn(id: string): Promise<void> {
    await this.call('powerOn', id);
    this.must(id);
    this.instances.set(id, 'running');
  }
  async powerOff(id: string): Promise<{ forced: boolean }> {
    await this.call('powerOff', id);
    this.must(id);
    this.instances.set(id, 'stopped');
    return { forced: false };
  }
  async reboot(id: string): Promise<void> {
    await this.call('reboot', id);
    this.must(id);
  }
  async resize(id: string, _type: InstanceType): Promise<void> {
    await this.call('resize', id);
    this.must(id);
  }
  async rebuild(id: string): Promise<void> {
    await this.call('rebuild', id);
    this.must(id);
  }
  /** The spec of each reseed, in order. */
  readonly reseeded: InstanceSpec[] = [];
  async reseed(id: string, spec: InstanceSpec): Promise<void> {
    await this.call('reseed', id);
    this.must(id);
    if (this.instances.get(id) !== 'stopped')
      throw new HypervisorError('INVALID_STATE', `reseed needs instance ${id} stopped`);
    this.reseeded.push(spec);
  }
  async plugNic(id: string, nic: ExtraNic): Promise<void> {
    await this.call('plugNic', id);
    this.must(id);
    const macs = this.nics.get(id) ?? [];
    if (!macs.includes(nic.mac)) this.nics.set(id, [...macs, nic.mac]);
  }
  /** The OVN interface id each NIC (by instance and MAC) was last put on by replaceNic. */
  readonly replaced = new Map<string, string>();

  async replaceNic(id: string, nic: ExtraNic): Promise<void> {
    await this.call('replaceNic', id);
    this.must(id);
    if (this.instances.get(id) === 'running')
      throw new HypervisorError('INVALID_STATE', `instance ${id} must be stopped to move its NIC`);
    this.replaced.set(`${id}:${nic.mac}`, nic.ovn.interfaceId);
  }
  async unplugNic(id: string, mac: string): Promise<void> {
    await this.call('unplugNic', id);
    this.must(id);
    this.nics.set(
      id,
      (this.nics.get(id) ?? []).filter((m) => m !== mac),
    );
  }
  async destroy(id: string): Promise<void> {
    await this.call('destroy', id);
    this.nics.delete(id);
    this.instances.delete(id);
    for (const k of this.exports.keys()) if (k.startsWith(`${id}:`)) this.exports.delete(k);
    this.volumes.delete(id);
  }
  async state(id: string): Promise<PowerState> {
    await this.call('state', id);
    return this.instances.get(id) ?? 'absent';
  }
  async list(): Promise<HostInstance[]> {
    await this.call('list');
    return [...this.instances].map(([id, state]) => ({ id, state }));
  }
  async volumeOwners(): Promise<string[]> {
    await this.call('volumeOwners');
    return [...this.volumes].sort();
  }
  /** No console in the fake: unit tests of console policy stop before a host stream. */
  async openVnc(id: string): Promise<Duplex> {
    await this.call('openVnc', id);
    throw new HypervisorError('INVALID_STATE', 'the fake host has no consoles');
  }
  async openSerial(id: string): Promise<Duplex> {
    await this.call('openSerial', id);
    throw new HypervisorError('INVALID_STATE', 'the fake host has no consoles');
  }
  async readConsoleLog(id: string): Promise<ConsoleLog> {
    await this.call('readConsoleLog', id);
    this.must(id);
    return { output: Buffer.from(`fake console of ${id}\n`), truncated: false };
  }
  async events(): Promise<HostEventFeed> {
    await this.call('events');
    const queue: InstanceEvent[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const listener = (ev: InstanceEvent) => {
      queue.push(ev);
      wake?.();
    };
    this.listeners.add(listener);
    const listeners = this.listeners;
    return {
      async close() {
        closed = true;
        listeners.delete(listener);
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          if (queue.length === 0) await new Promise<void>((r) => (wake = r));
          while (queue.length > 0) yield queue.shift()!;
        }
      },
    };
  }

  private must(id: string): PowerState {
    const state = this.instances.get(id);
    if (!state) throw new HypervisorError('NOT_FOUND', `instance ${id} not found`, 'lookup');
    return state;
  }
}
