// Power and lifecycle of existing instances on one host: start, stop (ACPI, then forced), reboot,
// resize, destroy, state and listing. Each operation holds the instance's lock; what a resize
// changes comes from the designer.
import { DomainShutdownFlags, ListDomainsFlags, isNotFound } from '@kumo/libvirt';
import type { HostContext } from '../context.js';
import { designResize, type HostProfile } from '../designer.js';
import { HypervisorError } from '../errors.js';
import type { Networks } from '../networks.js';
import type { InstanceType, PowerState } from '../spec.js';
import type { Pool } from '../storage/pool.js';
import type { Volumes } from '../storage/volumes.js';
import type { Domains } from './domains.js';

/** Options of powerOff. */
export interface PowerOffOptions {
  /** Press the ACPI power button first and wait this long (default 60 s); 0 forces at once. */
  gracefulTimeoutMs?: number;
}

/** An instance this host knows about. */
export interface InstanceSummary {
  id: string;
  state: PowerState;
}

// How often a graceful stop polls the domain's state while the guest shuts down.
const POWER_OFF_POLL_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Lifecycle operations on one host's instances. */
export class Lifecycle {
  constructor(
    private readonly ctx: HostContext,
    private readonly profile: HostProfile,
    private readonly domains: Domains,
    private readonly pool: Pool,
    private readonly volumes: Volumes,
    private readonly networks: Networks,
  ) {}

  /** Starts a stopped instance; no-op when it runs. */
  async powerOn(id: string): Promise<void> {
    await this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step(
        'power-on',
        async () => {
          const d = await this.domains.require(id);
          if ((await this.domains.state(d)) !== 'running') await this.ctx.lv.domainCreate(d);
        },
        'START_FAILED',
      ),
    );
  }

  /**
   * Stops an instance: presses the ACPI power button and waits up to gracefulTimeoutMs for the guest
   * to power off, then pulls the plug. Resolves with `forced` telling which happened.
   */
  async powerOff(id: string, opts: PowerOffOptions = {}): Promise<{ forced: boolean }> {
    const timeout = opts.gracefulTimeoutMs ?? 60_000;
    const { lv } = this.ctx;
    return this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step('power-off', async () => {
        const d = await this.domains.require(id);
        if ((await this.domains.state(d)) === 'stopped') return { forced: false };
        if (timeout > 0) {
          // A guest without ACPI support ignores the button; the deadline below still stops it.
          await lv.domainShutdownFlags(d, DomainShutdownFlags.ACPI_POWER_BTN).catch(() => undefined);
          const until = Date.now() + timeout;
          while (Date.now() < until) {
            if ((await this.domains.state(d)) === 'stopped') return { forced: false };
            await sleep(POWER_OFF_POLL_MS);
          }
        }
        await lv.domainDestroy(d).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
        return { forced: true };
      }),
    );
  }

  /** Asks the guest to reboot (ACPI); the domain keeps running. */
  async reboot(id: string): Promise<void> {
    await this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step('reboot', async () => {
        const d = await this.domains.require(id);
        if ((await this.domains.state(d)) !== 'running')
          throw new HypervisorError('INVALID_STATE', `instance ${id} is not running`);
        await this.ctx.lv.domainReboot(d, DomainShutdownFlags.ACPI_POWER_BTN);
      }),
    );
  }

  /** Changes vCPUs and memory (and the nested flag) of a stopped instance. */
  async resize(id: string, type: InstanceType): Promise<void> {
    await this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step(
        'resize',
        async () => {
          const d = await this.domains.require(id);
          await this.domains.requireStopped(d, id, 'resize');
          await this.domains.define(designResize(await this.domains.config(d), this.profile, type));
        },
        'DEFINE_FAILED',
      ),
    );
  }

  /**
   * Removes an instance: stops it, undefines the domain, deletes its overlay and seed (unless
   * keepVolumes) and its DHCP reservation. Idempotent: whatever is already gone is skipped.
   */
  async destroy(id: string, opts: { keepVolumes?: boolean } = {}): Promise<void> {
    const { lv, names } = this.ctx;
    await this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step('destroy', async () => {
        const d = await this.domains.lookup(id);
        if (d) {
          if ((await this.domains.state(d)) !== 'stopped') await lv.domainDestroy(d).catch(() => undefined);
          await lv.domainUndefine(d).catch((err) => {
            if (!isNotFound(err)) throw err;
          });
        }
        if (!opts.keepVolumes)
          await this.volumes.deleteByPrefix(await this.pool.require(), names.instanceVolumePrefix(id));
        await this.networks.unreserveAll(id);
      }),
    );
  }

  /** The power state of an instance, `absent` when the host has no such domain. */
  async state(id: string): Promise<PowerState> {
    return this.ctx.step('state', async () => {
      const d = await this.domains.lookup(id);
      return d ? this.domains.state(d) : 'absent';
    });
  }

  /**
   * Instance ids that own volumes in the pool (root overlays and seeds, any generation), sorted:
   * the reconciler compares them with the inventory to find what crashed attempts left behind.
   */
  async volumeOwners(): Promise<string[]> {
    return this.ctx.step('volume-owners', async () => {
      const owners = new Set<string>();
      for (const v of await this.ctx.lv.storagePoolListAllVolumes(await this.pool.require())) {
        const id = this.ctx.names.volumeInstanceId(v.name);
        if (id !== undefined) owners.add(id);
      }
      return [...owners].sort();
    });
  }

  /** Every Kumo instance defined on this host with its power state, sorted by id. */
  async list(): Promise<InstanceSummary[]> {
    return this.ctx.step('list', async () => {
      const out: InstanceSummary[] = [];
      for (const d of await this.ctx.lv.connectListAllDomains(ListDomainsFlags.ALL)) {
        const id = this.ctx.names.instanceId(d.name);
        if (id === undefined) continue;
        // A domain undefined between the listing and this lookup is simply gone.
        out.push({ id, state: await this.domains.state(d).catch(() => 'absent' as const) });
      }
      return out.sort((a, b) => a.id.localeCompare(b.id));
    });
  }
}
