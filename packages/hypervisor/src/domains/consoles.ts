// The consoles of a running instance: a byte stream to its VNC server (the unix socket libvirt made
// for the domain, reached through the host connection) and to its serial console (libvirt's console
// stream). Streams only; who may open them, and for how long, is the server's business.
import { connect } from 'node:net';
import { basename } from 'node:path';
import type { Duplex } from 'node:stream';
import type { HostContext } from '../context.js';
import { HypervisorError, translate } from '../errors.js';
import type { Pool } from '../storage/pool.js';
import type { Volumes } from '../storage/volumes.js';
import { rfbClientSecurity } from '../vnc/handshake.js';
import { domainFromXml } from '../xml/domain.js';
import type { Domains } from './domains.js';

/** The tail of a serial console log. */
export interface ConsoleLog {
  output: Buffer;
  /** Whether older output was left out. */
  truncated: boolean;
}

/** Console access on one host. */
export class Consoles {
  constructor(
    private readonly ctx: HostContext,
    private readonly domains: Domains,
    private readonly pool: Pool,
    private readonly volumes: Volumes,
    /** The host's address as the connection URI names it (where wildcard VNC listeners are reached). */
    private readonly hostAddress: string,
  ) {}

  /**
   * The last `maxBytes` of the instance's serial console log (running or not). The log is a file in
   * the pool, so it is read as a volume download, through libvirt alone, from any kind of host.
   * INVALID_STATE for a domain whose log is elsewhere (defined before logs moved into the pool).
   */
  async readLog(id: string, maxBytes: number): Promise<ConsoleLog> {
    const d = await this.domains.require(id);
    const file = (await this.domains.config(d)).serials[0]?.logFile;
    const name = file ? basename(file) : '';
    if (name !== this.ctx.names.consoleLog(id))
      throw new HypervisorError(
        'INVALID_STATE',
        `the console log of ${id} is not in the pool`,
        'console-log',
      );
    try {
      const pool = await this.pool.require();
      // virtlogd made the file behind libvirt's back: a refresh makes it a volume.
      await this.volumes.refresh(pool);
      const vol = await this.volumes.lookup(pool, name);
      if (!vol) return { output: Buffer.alloc(0), truncated: false };
      const size = Number((await this.ctx.lv.storageVolGetInfo(vol)).capacity);
      const offset = Math.max(0, size - maxBytes);
      if (size === 0) return { output: Buffer.alloc(0), truncated: false };
      const chunks: Buffer[] = [];
      for await (const chunk of await this.ctx.lv.storageVolDownload(vol, { offset, length: size - offset }))
        chunks.push(chunk as Buffer);
      return { output: Buffer.concat(chunks), truncated: offset > 0 };
    } catch (err) {
      throw translate(err, 'console-log');
    }
  }

  /**
   * A stream to the running instance's VNC server, already through RFB's version and security
   * phase (it stands before ClientInit): on a unix socket reached through the host connection
   * (security None), or on an address listener with VNC Authentication by `password`.
   * INVALID_STATE when the domain is not running or its VNC cannot be reached.
   */
  async openVnc(id: string, password: string | undefined): Promise<Duplex> {
    const d = await this.domains.require(id);
    if ((await this.domains.state(d)) !== 'running')
      throw new HypervisorError('INVALID_STATE', `instance ${id} is not running`, 'vnc');
    // The live definition: only it carries the socket path or port libvirt chose at start.
    const g = domainFromXml(await this.ctx.lv.domainGetXmlDesc(d, 0)).graphics[0];
    if (!g) throw new HypervisorError('INVALID_STATE', `instance ${id} has no VNC server`, 'vnc');
    let stream: Duplex | undefined;
    try {
      if (g.listen === 'socket') {
        if (!g.socket) throw new Error('no socket path in the live definition');
        stream = await this.ctx.lv.openHostSocket(g.socket);
        return await rfbClientSecurity(stream, undefined);
      }
      const port = g.port === 'auto' ? g.boundPort : g.port;
      if (port === undefined) throw new Error('no port in the live definition');
      const wildcard = g.listen === '0.0.0.0' || g.listen === '::';
      stream = await openTcp(wildcard ? this.hostAddress : g.listen, port);
      return await rfbClientSecurity(stream, password);
    } catch (err) {
      stream?.destroy();
      throw new HypervisorError(
        'INVALID_STATE',
        `the VNC server of ${id} is unreachable: ${(err as Error).message}`,
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

function openTcp(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, timeout: 10_000 });
    sock.setNoDelay(true);
    sock.once('connect', () => {
      sock.setTimeout(0);
      sock.off('error', reject);
      resolve(sock);
    });
    sock.once('timeout', () => sock.destroy(new Error(`no answer from ${host}:${port}`)));
    sock.once('error', reject);
  });
}
