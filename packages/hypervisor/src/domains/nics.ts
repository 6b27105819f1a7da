// Secondary NICs (elastic network interfaces) of an instance: plugged into and unplugged from
// both the running guest and the persistent definition, so a hot-plug survives the next stop/start
// and a cold plug shows up at the next start. Idempotent by MAC: a re-run after a crash finds the
// NIC already there (or already gone) and does nothing.
import { DomainAffect } from '@kumo/libvirt';
import type { HostContext } from '../context.js';
import { designNic } from '../designer.js';
import { HypervisorError } from '../errors.js';
import type { ExtraNic } from '../spec.js';
import { domainFromXml, interfaceDeviceXml } from '../xml/domain.js';
import type { Domains } from './domains.js';

/** NIC hot-plug on one host. */
export class Nics {
  constructor(
    private readonly ctx: HostContext,
    private readonly domains: Domains,
  ) {}

  /** Adds `nic` to instance `id` (live too when it runs); no-op when a NIC with its MAC exists. */
  async plug(id: string, nic: ExtraNic): Promise<void> {
    await this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step('plug-nic', async () => {
        const d = await this.domains.require(id);
        const xml = interfaceDeviceXml(designNic(nic, ''));
        const running = (await this.domains.state(d)) === 'running';
        const { config, live } = await this.present(d, nic.mac, running);
        if (!config) await this.ctx.lv.domainAttachDeviceFlags(d, xml, DomainAffect.CONFIG);
        if (running && !live) await this.ctx.lv.domainAttachDeviceFlags(d, xml, DomainAffect.LIVE);
      }),
    );
  }

  /** Removes the NIC with `mac` from instance `id` (live too when it runs); no-op when absent. */
  async unplug(id: string, mac: string): Promise<void> {
    await this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step('unplug-nic', async () => {
        const d = await this.domains.require(id);
        const running = (await this.domains.state(d)) === 'running';
        const cfg = await this.domains.config(d);
        const nic = cfg.interfaces.find((n) => n.mac === mac);
        const { config, live } = await this.present(d, mac, running);
        if (!nic && !live) return;
        // The device XML names the NIC by MAC; libvirt matches on it.
        const xml = interfaceDeviceXml(nic ?? { kind: 'bridge', source: '', mac, model: 'virtio' });
        if (running && live) await this.ctx.lv.domainDetachDeviceFlags(d, xml, DomainAffect.LIVE);
        if (config) await this.ctx.lv.domainDetachDeviceFlags(d, xml, DomainAffect.CONFIG);
      }),
    );
  }

  /**
   * Puts the NIC with `nic.mac` of a stopped instance on `nic.ovn` in its definition (added when
   * there is none with that MAC); no-op when it is there already. INVALID_STATE while it runs:
   * the guest would lose its link under it. Detach and attach rather than an update: libvirt
   * updates only some of a NIC's settings in place, and never its type.
   */
  async replace(id: string, nic: ExtraNic): Promise<void> {
    await this.ctx.locked(`inst:${id}`, () =>
      this.ctx.step('replace-nic', async () => {
        const d = await this.domains.require(id);
        if ((await this.domains.state(d)) === 'running')
          throw new HypervisorError('INVALID_STATE', `instance ${id} must be stopped to move its NIC`);
        const want = designNic(nic, '');
        const have = (await this.domains.config(d)).interfaces.find((n) => n.mac === nic.mac);
        if (have?.kind === want.kind && have.source === want.source)
          if (have.openvswitchInterfaceId === want.openvswitchInterfaceId) return;
        if (have) await this.ctx.lv.domainDetachDeviceFlags(d, interfaceDeviceXml(have), DomainAffect.CONFIG);
        await this.ctx.lv.domainAttachDeviceFlags(d, interfaceDeviceXml(want), DomainAffect.CONFIG);
      }),
    );
  }

  /** MACs of the instance's NICs in its persistent definition, in device order. */
  async macs(id: string): Promise<string[]> {
    const d = await this.domains.require(id);
    return (await this.domains.config(d)).interfaces.map((n) => n.mac);
  }

  private async present(
    d: Parameters<Domains['state']>[0],
    mac: string,
    running: boolean,
  ): Promise<{ config: boolean; live: boolean }> {
    const config = (await this.domains.config(d)).interfaces.some((n) => n.mac === mac);
    const live = running
      ? domainFromXml(await this.ctx.lv.domainGetXmlDesc(d, 0)).interfaces.some((n) => n.mac === mac)
      : false;
    return { config, live };
  }
}
