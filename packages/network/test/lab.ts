// A multi-host OVN lab in network namespaces, for the end-to-end test and bench/network: an
// underlay namespace with a Linux bridge and the OVN central, one namespace per "host" (its own
// ovsdb-server, ovs-vswitchd, br-int and ovn-controller via scripts/ovn-chassis-up.sh, its underlay
// address on a netdev br-phy as the userspace datapath's tunnels need), "VMs" as namespaces whose
// eth0 is a veth into a host's br-int, and an optional gateway host with a provider bridge and an
// "outside" namespace on it. Every link is created inside the lab's own namespaces; stop() removes
// all of it. Names carry the kovn- prefix and a per-lab tag.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sh, startCentral, type Central } from './central.js';

const SCRIPTS = resolve(import.meta.dirname, '../../../scripts');
const UNDERLAY = '172.31.0';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LabHost {
  name: string;
  ns: string;
  root: string;
  db: string;
}

export interface LabVm {
  name: string;
  ns: string;
  host: LabHost;
}

export class Lab {
  readonly hosts = new Map<string, LabHost>();
  readonly vms = new Map<string, LabVm>();
  private readonly namespaces: string[] = [];
  private readonly roots: string[] = [];
  private readonly children: ChildProcess[] = [];
  central!: Central;
  outsideNs: string | undefined;

  private constructor(
    readonly tag: string,
    readonly dir: string,
  ) {}

  get underlayNs(): string {
    return `kovn-${this.tag}-ul`;
  }

  /** Underlay, central, and `hosts` chassis; `gateway` (one of them) gets br-ex for `provider` and an outside namespace. */
  static async start(o: {
    tag: string;
    hosts: string[];
    gateway?: string;
    outsideCidr?: string;
  }): Promise<Lab> {
    const dir = `/tmp/kovn-lab-${o.tag}`;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const lab = new Lab(o.tag, dir);
    try {
      const ul = lab.underlayNs;
      await lab.addNs(ul);
      await lab.inNs(ul, 'ip', 'link', 'add', 'br-ul', 'type', 'bridge');
      await lab.inNs(ul, 'ip', 'addr', 'add', `${UNDERLAY}.1/24`, 'dev', 'br-ul');
      await lab.inNs(ul, 'ip', 'link', 'set', 'br-ul', 'up');
      lab.central = await startCentral({
        prefix: `kovn-${o.tag}-central-`,
        inNetns: ul,
        sbPort: 6642,
        listen: `${UNDERLAY}.1`,
      });
      lab.roots.push(lab.central.root);
      let i = 10;
      for (const h of o.hosts) await lab.addHost(h, `${UNDERLAY}.${++i}`, h === o.gateway);
      if (o.gateway) await lab.addOutside(lab.hosts.get(o.gateway)!, o.outsideCidr ?? '192.0.2.1/24');
      return lab;
    } catch (e) {
      await lab.stop();
      throw e;
    }
  }

  async inNs(ns: string, ...cmd: string[]): Promise<string> {
    return sh('ip', ['netns', 'exec', ns, ...cmd]);
  }

  private async addNs(ns: string): Promise<void> {
    await sh('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
    await this.inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
  }

  /** A veth from `aNs` (named `a`) to `bNs` (named `b`), checksum offload off on both ends (the userspace datapath needs it). */
  private async veth(aNs: string, a: string, bNs: string, b: string, mtu?: number): Promise<void> {
    await this.inNs(aNs, 'ip', 'link', 'add', a, 'type', 'veth', 'peer', 'name', b, 'netns', bNs);
    for (const [ns, dev] of [
      [aNs, a],
      [bNs, b],
    ] as const) {
      if (mtu) await this.inNs(ns, 'ip', 'link', 'set', dev, 'mtu', String(mtu));
      await this.inNs(ns, 'ethtool', '-K', dev, 'tx', 'off');
      await this.inNs(ns, 'ip', 'link', 'set', dev, 'up');
    }
  }

  private async addHost(name: string, ip: string, gateway: boolean): Promise<void> {
    const ns = `kovn-${this.tag}-${name}`;
    await this.addNs(ns);
    await this.veth(this.underlayNs, `${name}-ul`, ns, 'eth0', 1600);
    await this.inNs(this.underlayNs, 'ip', 'link', 'set', `${name}-ul`, 'master', 'br-ul');
    const root = join(this.dir, name);
    this.roots.push(root);
    const args = [
      join(SCRIPTS, 'ovn-chassis-up.sh'),
      ...(gateway ? ['--bridge-mappings', 'provider:br-ex'] : []),
      ns,
      root,
      `tcp:${UNDERLAY}.1:6642`,
      ip,
    ];
    await sh('bash', args);
    const host: LabHost = { name, ns, root, db: `unix:${root}/run/db.sock` };
    // Geneve in the userspace datapath is sent through an OVS bridge that holds the underlay address.
    await this.vsctl(
      host,
      '--may-exist',
      'add-br',
      'br-phy',
      '--',
      'set',
      'Bridge',
      'br-phy',
      'datapath_type=netdev',
      '--',
      '--may-exist',
      'add-port',
      'br-phy',
      'eth0',
    );
    await this.inNs(ns, 'ip', 'addr', 'add', `${ip}/24`, 'dev', 'br-phy');
    await this.inNs(ns, 'ip', 'link', 'set', 'br-phy', 'mtu', '1600', 'up');
    this.hosts.set(name, host);
  }

  private async addOutside(gw: LabHost, cidr: string): Promise<void> {
    const ns = `kovn-${this.tag}-out`;
    await this.addNs(ns);
    await this.veth(gw.ns, 'out-p', ns, 'eth0');
    await this.inNs(ns, 'ip', 'addr', 'add', cidr, 'dev', 'eth0');
    await this.vsctl(gw, 'add-port', 'br-ex', 'out-p');
    this.outsideNs = ns;
  }

  vsctl(h: LabHost, ...args: string[]): Promise<string> {
    return sh('ovs-vsctl', [`--db=${h.db}`, '--timeout=10', ...args]);
  }

  /** A VM: a namespace whose eth0 (with `mac`) is plugged into `host`'s br-int as OVN port `interfaceId`. */
  async addVm(name: string, host: string, mac: string, interfaceId: string): Promise<LabVm> {
    const h = this.hosts.get(host)!;
    const ns = `kovn-${this.tag}-${name}`;
    await this.addNs(ns);
    await this.veth(h.ns, `${name}-p`, ns, 'eth0');
    await this.inNs(ns, 'ip', 'link', 'set', 'eth0', 'address', mac);
    await this.vsctl(
      h,
      'add-port',
      'br-int',
      `${name}-p`,
      '--',
      'set',
      'Interface',
      `${name}-p`,
      `external_ids:iface-id=${interfaceId}`,
    );
    const vm = { name, ns, host: h };
    this.vms.set(name, vm);
    return vm;
  }

  /** Unplugs a VM's port from its host and removes the VM. */
  async removeVm(name: string): Promise<void> {
    const vm = this.vms.get(name)!;
    await this.vsctl(vm.host, '--if-exists', 'del-port', 'br-int', `${name}-p`);
    await sh('ip', ['netns', 'del', vm.ns]);
    this.namespaces.splice(this.namespaces.indexOf(vm.ns), 1);
    this.vms.delete(name);
  }

  /** Asks OVN's native DHCP for an address with busybox udhcpc and applies it; returns the lease line. */
  async dhcp(vm: string): Promise<string> {
    const script = join(this.dir, 'udhcpc.sh');
    writeFileSync(
      script,
      '#!/bin/sh\ncase "$1" in bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface";' +
        ' [ -n "$router" ] && ip route replace default via "${router%% *}"; echo "lease $ip/$mask router $router hostname ${hostname:-}" ;; esac\nexit 0\n',
      { mode: 0o755 },
    );
    const out = await this.inNs(
      this.vms.get(vm)!.ns,
      'busybox',
      'udhcpc',
      '-i',
      'eth0',
      '-n',
      '-q',
      '-f',
      '-t',
      '5',
      '-T',
      '1',
      '-s',
      script,
    );
    const lease = /^lease .*$/m.exec(out);
    if (!lease) throw new Error(`${vm}: no DHCP lease (${out.trim()})`);
    return lease[0];
  }

  /** Whether `count` pings from `ns` to `ip` get any answer (one try: no retries). */
  async pingOnce(ns: string, ip: string, count = 1, waitS = 1): Promise<boolean> {
    return this.inNs(ns, 'busybox', 'ping', '-c', String(count), '-W', String(waitS), ip).then(
      () => true,
      () => false,
    );
  }

  /** Pings until answered, within `ms` (the first packet to a new tunnel peer is often lost). */
  async reachable(ns: string, ip: string, ms = 10_000): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await this.pingOnce(ns, ip)) return true;
    }
    return false;
  }

  /** A child process in a namespace, killed by stop(). */
  spawnIn(ns: string, cmd: string[]): ChildProcess {
    const c = spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(c);
    return c;
  }

  /** A TCP server in `vm` answering every connection on `port` with `text` (busybox nc, persistent). */
  async serveText(vm: string, port: number, text: string): Promise<void> {
    const script = join(this.dir, `say-${vm}-${port}.sh`);
    writeFileSync(script, `#!/bin/sh\necho ${JSON.stringify(text)}\n`, { mode: 0o755 });
    this.spawnIn(this.vms.get(vm)?.ns ?? vm, ['busybox', 'nc', '-ll', '-p', String(port), '-e', script]);
    await sleep(100);
  }

  /** What a TCP connection from `ns` to ip:port reads, or undefined when it cannot connect. */
  async tcpRead(ns: string, ip: string, port: number): Promise<string | undefined> {
    return this.inNs(ns, 'busybox', 'nc', '-w', '1', ip, String(port)).then(
      (s) => s.trim() || undefined,
      () => undefined,
    );
  }

  /**
   * Seconds to move `bytes` over TCP from `fromNs` to a receiver in `toNs` reached as ip:port,
   * timed until the receiver has read the last byte (node on both ends: busybox nc stops early).
   */
  async tcpTransfer(fromNs: string, toNs: string, ip: string, port: number, bytes: number): Promise<number> {
    const recv = this.spawnIn(toNs, [
      'node',
      '-e',
      `let n=0;const s=require('net').createServer((c)=>{c.on('data',(d)=>{n+=d.length});c.on('end',()=>{console.log(n);s.close()})}).listen(${port})`,
    ]);
    let got = '';
    recv.stdout!.on('data', (d: Buffer) => (got += d.toString()));
    const done = new Promise((r) => recv.once('exit', r));
    await sleep(600);
    const t = performance.now();
    await this.inNs(
      fromNs,
      'node',
      '-e',
      `const c=require('net').connect(${port},'${ip}',()=>{c.end(Buffer.alloc(${bytes}))})`,
    );
    await Promise.race([done, sleep(60_000)]);
    if (Number(got.trim()) !== bytes)
      throw new Error(`transfer to ${ip}:${port}: received ${got.trim() || 'nothing'} of ${bytes} bytes`);
    return (performance.now() - t) / 1000;
  }

  async stop(): Promise<void> {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    if (this.roots.length)
      await sh('bash', [join(SCRIPTS, 'ovn-down.sh'), '--purge', ...this.roots]).catch(() => undefined);
    for (const ns of [...this.namespaces].reverse())
      await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
