// The OVN network plane: NetworkPlane over one persistent northbound OVSDB connection. Each method
// validates its input, reads what it needs, and writes one transaction (see logical.ts, ports.ts,
// external.ts); this class only holds the connection and the port-up watcher.
import { checkId, checkInt } from './validate.js';
import { NbConnection } from './db.js';
import {
  ensureElasticIp,
  ensureExternalNetwork,
  ensureVpcGateway,
  removeElasticIp,
  removeExternalNetwork,
  removeVpcGateway,
} from './external.js';
import { inventory } from './inventory.js';
import { ensureSubnet, ensureVpc, removeSubnet, removeVpc } from './logical.js';
import type * as P from './plane.js';
import { PortWatcher } from './port-watch.js';
import { ensurePort, ensureSecurityGroup, removePort, removeSecurityGroup } from './ports.js';

/** NetworkPlane on OVN's northbound database. */
export class OvnNetworkPlane implements P.NetworkPlane {
  private watcher: Promise<PortWatcher> | undefined;

  constructor(private readonly db: NbConnection) {}

  ensureVpc = (v: P.PlaneVpc) => ensureVpc(this.db, v);
  removeVpc = (id: string) => removeVpc(this.db, id);
  ensureSubnet = (s: P.PlaneSubnet) => ensureSubnet(this.db, s);
  removeSubnet = (id: string) => removeSubnet(this.db, id);
  ensureSecurityGroup = (g: P.PlaneSecurityGroup) => ensureSecurityGroup(this.db, g);
  removeSecurityGroup = (id: string) => removeSecurityGroup(this.db, id);
  ensurePort = (p: P.PlanePort) => ensurePort(this.db, p);
  removePort = (id: string) => removePort(this.db, id);
  ensureExternalNetwork = (n: P.PlaneExternalNetwork) => ensureExternalNetwork(this.db, n);
  removeExternalNetwork = (id: string) => removeExternalNetwork(this.db, id);
  ensureVpcGateway = (g: P.PlaneVpcGateway) => ensureVpcGateway(this.db, g);
  removeVpcGateway = (id: string) => removeVpcGateway(this.db, id);
  ensureElasticIp = (e: P.PlaneElasticIp) => ensureElasticIp(this.db, e);
  removeElasticIp = (id: string) => removeElasticIp(this.db, id);
  inventory = () => inventory(this.db);

  async waitPortUp(portId: string, timeoutMs: number): Promise<void> {
    const id = checkId('portId', portId);
    checkInt('timeoutMs', timeoutMs, 0, 3_600_000);
    const w = await this.currentWatcher();
    await w.wait(id, timeoutMs);
  }

  async close(): Promise<void> {
    const w = await this.watcher?.catch(() => undefined);
    this.watcher = undefined;
    await w?.stop();
    await this.db.close();
  }

  /** The watcher of the live connection; a new one after a reconnect. */
  private async currentWatcher(): Promise<PortWatcher> {
    const client = await this.db.get();
    const existing = await this.watcher?.catch(() => undefined);
    if (existing && existing.client === client) return existing;
    this.watcher = PortWatcher.start(client);
    return this.watcher;
  }
}

/** The `ovn` driver: connects to the NB database at `endpoint` (unix:, tcp: or ssl: with `tls`). */
export const ovn: P.NetworkPlaneFactory = async (opts) => {
  const db = new NbConnection(opts.endpoint, opts.tls ? { tls: opts.tls } : {});
  await db.get(); // fail at startup, not on the first request, when the NB database is unreachable
  return new OvnNetworkPlane(db);
};
