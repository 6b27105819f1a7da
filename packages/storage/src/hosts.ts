// One libvirt connection per host URI, opened on first use and opened again after it dropped;
// libvirt errors that mean "the host is not there" come out as UNAVAILABLE.
import { LibvirtClient, isConnectionClosed } from '@kumo/libvirt';
import { StorageError } from './errors.js';
import type { StorageHost } from './backend.js';

/** Connections to the AZ's hosts. */
export class HostConnections {
  private readonly byUri = new Map<string, Promise<LibvirtClient>>();

  /** Runs `fn` with a connection to `host`. */
  async with<T>(host: StorageHost, fn: (lv: LibvirtClient) => Promise<T>): Promise<T> {
    let lv: LibvirtClient;
    try {
      lv = await this.client(host.uri);
    } catch (err) {
      this.byUri.delete(host.uri);
      throw new StorageError('UNAVAILABLE', `host ${host.id} (${host.uri}): ${(err as Error).message}`);
    }
    try {
      return await fn(lv);
    } catch (err) {
      if (isConnectionClosed(err)) {
        this.byUri.delete(host.uri);
        throw new StorageError('UNAVAILABLE', `host ${host.id} went away: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  private client(uri: string): Promise<LibvirtClient> {
    const open = this.byUri.get(uri);
    if (open) {
      return open.then((lv) => {
        if (lv.connected) return lv;
        this.byUri.delete(uri);
        return this.client(uri);
      });
    }
    const p = LibvirtClient.connect(uri);
    this.byUri.set(uri, p);
    return p;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const all = [...this.byUri.values()];
    this.byUri.clear();
    for (const p of all) await p.then((lv) => lv.close()).catch(() => undefined);
  }
}
