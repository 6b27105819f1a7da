// The consoles of a running instance: a byte stream to its VNC server (the unix socket libvirt made
// for the domain, reached through the host connection) and to its serial console (libvirt's console
// stream). Streams only; who may open them, and for how long, is the server's business.
import type { Duplex } from 'node:stream';
import type { HostContext } from '../context.js';
import { HypervisorError, translate } from '../errors.js';
import { domainFromXml } from '../xml/domain.js';
import type { Domains } from './domains.js';

/** Console access on one host. */
export class Consoles {
  constructor(
    private readonly ctx: HostContext,
    private readonly domains: Domains,
  ) {}

  /**
   * A stream to the running instance's VNC server (RFB bytes, no authentication of its own: the
   * socket is reachable only through the host connection). INVALID_STATE when the domain is not
   * running or its VNC is not on a socket this connection can reach.
   */
  async openVnc(id: string): Promise<Duplex> {
    const d = await this.domains.require(id);
    if ((await this.domains.state(d)) !== 'running')
      throw new HypervisorError('INVALID_STATE', `instance ${id} is not running`, 'vnc');
    // The live definition: only it carries the socket path libvirt chose at start.
    const live = domainFromXml(await this.ctx.lv.domainGetXmlDesc(d, 0));
    const socket = live.graphics.find((g) => g.listen === 'socket')?.socket;
    if (!socket) throw new HypervisorError('INVALID_STATE', `instance ${id} has no VNC socket`, 'vnc');
    try {
      return await this.ctx.lv.openHostSocket(socket);
    } catch (err) {
      throw new HypervisorError(
        'INVALID_STATE',
        `the VNC socket of ${id} is unreachable: ${(err as Error).message}`,
        'vnc',
        {
          cause: err,
        },
      );
    }
  }

  /**
   * A stream to the running instance's first serial console: guest output to read, keystrokes to
   * write, destroy() to detach. A second attach while one is open is refused by libvirt.
   */
  async openSerial(id: string): Promise<Duplex> {
    const d = await this.domains.require(id);
    try {
      return await this.ctx.lv.domainOpenConsole(d, null, 0);
    } catch (err) {
      throw translate(err, 'console');
    }
  }
}
