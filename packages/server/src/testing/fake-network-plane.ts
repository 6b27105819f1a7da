// An in-memory NetworkPlane for tests, strict where OVN is: a subnet needs its VPC, a port its
// subnet and groups, and a VPC cannot go while its subnets or groups are there. With a `file:`
// endpoint it keeps its state in a JSON file (written atomically on every change), so it
// outlives a kumod killed with SIGKILL the way OVN's northbound database does, and is shared by
// every kumod given the same file (each change is a read-modify-write under a lock file).
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import type {
  NetworkPlane,
  NetworkPlaneFactory,
  PlaneElasticIp,
  PlaneExternalNetwork,
  PlaneInventory,
  PlanePort,
  PlaneSecurityGroup,
  PlaneSubnet,
  PlaneVpc,
  PlaneVpcGateway,
} from '../drivers/network-plane.js';

interface State {
  vpcs: Record<string, PlaneVpc>;
  subnets: Record<string, PlaneSubnet>;
  groups: Record<string, PlaneSecurityGroup>;
  ports: Record<string, PlanePort>;
  externalNetworks: Record<string, PlaneExternalNetwork>;
  gateways: Record<string, PlaneVpcGateway>;
  eips: Record<string, PlaneElasticIp>;
}

const empty = (): State => ({
  vpcs: {},
  subnets: {},
  groups: {},
  ports: {},
  externalNetworks: {},
  gateways: {},
  eips: {},
});

/** The fake plane. `calls` counts every mutating call, for tests of idempotence. */
export class FakeNetworkPlane implements NetworkPlane {
  private state: State;
  calls = 0;

  constructor(
    private readonly file?: string,
    /** Each mutating call waits this long before it applies (crash tests kill kumod meanwhile). */
    private readonly delayMs = 0,
  ) {
    this.state = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as State) : empty();
  }

  /** The objects as the plane holds them (tests compare them with the inventory). */
  snapshot(): State {
    return structuredClone(this.state);
  }

  private async pause(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
  }

  private save(): void {
    this.calls++;
    if (!this.file) return;
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.state));
    renameSync(`${this.file}.tmp`, this.file);
  }

  /** Runs one change on the freshest state, holding the file's lock (other kumods share it). */
  private change<T>(fn: () => T): T {
    if (!this.file) return fn();
    const lock = `${this.file}.lock`;
    for (let spins = 0; ; spins++) {
      try {
        closeSync(openSync(lock, 'wx'));
        break;
      } catch {
        // A holder killed with SIGKILL leaves its lock: changes take microseconds, so 2 s is stale.
        try {
          if (Date.now() - statSync(lock).mtimeMs > 2000) unlinkSync(lock);
        } catch {
          /* gone meanwhile */
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, spins < 100 ? 1 : 10);
      }
    }
    try {
      this.reload();
      return fn();
    } finally {
      unlinkSync(lock);
    }
  }

  private reload(): void {
    if (this.file && existsSync(this.file)) this.state = JSON.parse(readFileSync(this.file, 'utf8')) as State;
  }

  async ensureVpc(vpc: PlaneVpc): Promise<void> {
    await this.pause();
    this.change(() => {
      this.state.vpcs[vpc.id] = { ...vpc };
      this.save();
    });
  }

  async removeVpc(vpcId: string): Promise<void> {
    await this.pause();
    this.change(() => {
      const s = this.state;
      if (Object.values(s.subnets).some((x) => x.vpcId === vpcId))
        throw new Error(`fake plane: vpc ${vpcId} still has subnets`);
      if (Object.values(s.groups).some((x) => x.vpcId === vpcId))
        throw new Error(`fake plane: vpc ${vpcId} still has security groups`);
      delete s.vpcs[vpcId];
      this.save();
    });
  }

  async ensureSubnet(subnet: PlaneSubnet): Promise<void> {
    await this.pause();
    this.change(() => {
      if (!this.state.vpcs[subnet.vpcId]) throw new Error(`fake plane: no vpc ${subnet.vpcId}`);
      this.state.subnets[subnet.id] = { ...subnet };
      this.save();
    });
  }

  async removeSubnet(subnetId: string): Promise<void> {
    await this.pause();
    this.change(() => {
      if (Object.values(this.state.ports).some((p) => p.subnetId === subnetId))
        throw new Error(`fake plane: subnet ${subnetId} still has ports`);
      delete this.state.subnets[subnetId];
      this.save();
    });
  }

  async ensureSecurityGroup(group: PlaneSecurityGroup): Promise<void> {
    await this.pause();
    this.change(() => {
      if (!this.state.vpcs[group.vpcId]) throw new Error(`fake plane: no vpc ${group.vpcId}`);
      this.state.groups[group.id] = structuredClone(group);
      this.save();
    });
  }

  async removeSecurityGroup(groupId: string): Promise<void> {
    await this.pause();
    this.change(() => {
      if (Object.values(this.state.ports).some((p) => p.securityGroupIds.includes(groupId)))
        throw new Error(`fake plane: group ${groupId} still has ports`);
      delete this.state.groups[groupId];
      this.save();
    });
  }

  async ensurePort(port: PlanePort): Promise<{ interfaceId: string }> {
    await this.pause();
    return this.change(() => {
      if (!this.state.subnets[port.subnetId]) throw new Error(`fake plane: no subnet ${port.subnetId}`);
      for (const g of port.securityGroupIds)
        if (!this.state.groups[g]) throw new Error(`fake plane: no group ${g}`);
      this.state.ports[port.id] = structuredClone(port);
      this.save();
      return { interfaceId: port.interfaceId };
    });
  }

  async removePort(portId: string): Promise<void> {
    await this.pause();
    this.change(() => {
      delete this.state.ports[portId];
      this.save();
    });
  }

  async waitPortUp(portId: string): Promise<void> {
    this.reload();
    if (!this.state.ports[portId]) throw new Error(`fake plane: no port ${portId}`);
  }

  async ensureExternalNetwork(net: PlaneExternalNetwork): Promise<void> {
    await this.pause();
    this.change(() => {
      this.state.externalNetworks[net.id] = structuredClone(net);
      this.save();
    });
  }

  async removeExternalNetwork(netId: string): Promise<void> {
    await this.pause();
    this.change(() => {
      delete this.state.externalNetworks[netId];
      this.save();
    });
  }

  async ensureVpcGateway(gw: PlaneVpcGateway): Promise<void> {
    await this.pause();
    this.change(() => {
      this.state.gateways[gw.vpcId] = { ...gw };
      this.save();
    });
  }

  async removeVpcGateway(vpcId: string): Promise<void> {
    await this.pause();
    this.change(() => {
      delete this.state.gateways[vpcId];
      this.save();
    });
  }

  async ensureElasticIp(eip: PlaneElasticIp): Promise<void> {
    await this.pause();
    this.change(() => {
      this.state.eips[eip.id] = { ...eip };
      this.save();
    });
  }

  async removeElasticIp(eipId: string): Promise<void> {
    await this.pause();
    this.change(() => {
      delete this.state.eips[eipId];
      this.save();
    });
  }

  async inventory(): Promise<PlaneInventory> {
    this.reload();
    const s = this.state;
    return {
      vpcs: Object.keys(s.vpcs),
      subnets: Object.keys(s.subnets),
      ports: Object.keys(s.ports),
      securityGroups: Object.keys(s.groups),
      elasticIps: Object.keys(s.eips),
      externalNetworks: Object.keys(s.externalNetworks),
      vpcGateways: Object.keys(s.gateways),
    };
  }

  async close(): Promise<void> {}
}

/**
 * The `fake` driver: `memory:` for a plane that lives with the process, `file:/path` to persist
 * it; `?delayMs=N` slows every change down by N ms.
 */
export const connectFakeNetworkPlane: NetworkPlaneFactory = async ({ endpoint }) => {
  const [where, query = ''] = endpoint.split('?', 2) as [string, string?];
  const delayMs = Number(new URLSearchParams(query).get('delayMs') ?? 0);
  if (where === 'memory:' || where === '') return new FakeNetworkPlane(undefined, delayMs);
  if (where.startsWith('file:')) return new FakeNetworkPlane(where.slice('file:'.length), delayMs);
  throw new Error(`fake network plane: endpoint must be memory: or file:/path, got "${endpoint}"`);
};
