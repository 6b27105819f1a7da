// The OVN network plane, measured (see run.sh): every loop is bounded and the lab is removed at
// the end, whatever happens.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ovn, type NetworkPlane, type PlanePort, type PlaneRule } from '@kumo/network';
import { Lab, sleep } from '../../packages/network/test/lab.js';
import { load, machine, median } from '../support.js';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const PORTS = Number(process.env.PORTS ?? 100);
const WRITES = Number(process.env.WRITES ?? 200);
const now = () => performance.now();
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const uuidOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const macOf = (n: number) =>
  `02:00:0b:00:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
const ipOf = (n: number) => `10.20.${n >> 8}.${(n & 0xff) + 10}`;

const rules: PlaneRule[] = [
  { id: 'icmp-in', direction: 'ingress', protocol: 'icmp', cidr: '0.0.0.0/0', action: 'allow', priority: 10 },
  { id: 'all-out', direction: 'egress', protocol: 'all', cidr: '0.0.0.0/0', action: 'allow', priority: 100 },
];

function nbctl(db: string, args: string[]): Promise<void> {
  return new Promise((res, rej) =>
    execFile('ovn-nbctl', [`--db=${db}`, ...args], { timeout: 10_000 }, (e) => (e ? rej(e) : res())),
  );
}

/**
 * Time from `t0` until a probe sees `want` (true = answered): one single ping launched every 50 ms,
 * concurrently, so a probe that waits out its 1 s timeout does not hide a later change.
 */
async function untilSeen(
  lab: Lab,
  ns: string,
  ip: string,
  want: boolean,
  t0: number,
  limitMs = 10_000,
): Promise<number | undefined> {
  const probes: Promise<number | undefined>[] = [];
  let found: number | undefined;
  while (found === undefined && now() - t0 < limitMs) {
    const start = now();
    probes.push(
      lab.pingOnce(ns, ip).then((ok) => {
        if (ok === want && (found === undefined || start - t0 < found)) found = start - t0;
        return undefined;
      }),
    );
    await sleep(50);
  }
  await Promise.all(probes);
  return found;
}

async function portWrites(plane: NetworkPlane, nb: string): Promise<string[]> {
  await plane.ensureVpc({ id: 'vpc-w', cidr: '10.30.0.0/16' });
  await plane.ensureSubnet({
    id: 'subnet-w',
    vpcId: 'vpc-w',
    cidr: '10.30.0.0/16',
    gateway: '10.30.0.1',
    gatewayMac: '02:00:0c:00:00:01',
    dnsServers: [],
    mtu: 1400,
  });
  await plane.ensureSecurityGroup({ id: 'sg-w', vpcId: 'vpc-w', rules });
  await nbctl(nb, ['ls-add', 'bench-nbctl']);
  const kumo: number[] = [];
  const cli: number[] = [];
  // Interleaved, so both see the same database size and machine load.
  for (let i = 0; i < WRITES; i++) {
    const mac = macOf(i);
    const ip = `10.30.${i >> 8}.${(i & 0xff) + 10}`;
    let t = now();
    await plane.ensurePort({
      id: `port-w${i}`,
      interfaceId: uuidOf(0x100000 + i),
      subnetId: 'subnet-w',
      mac,
      ips: [ip],
      securityGroupIds: ['sg-w'],
    });
    kumo.push(now() - t);
    t = now();
    const name = uuidOf(0x200000 + i);
    await nbctl(nb, [
      'lsp-add',
      'bench-nbctl',
      name,
      '--',
      'lsp-set-addresses',
      name,
      `${mac} ${ip}`,
      '--',
      'lsp-set-port-security',
      name,
      `${mac} ${ip}`,
    ]);
    cli.push(now() - t);
  }
  const ratio = median(cli) / median(kumo);
  return [
    `| port create (${WRITES} each) | median | p99 |`,
    '|---|---|---|',
    `| ensurePort over the persistent OVSDB connection (read + 1 transaction, port groups included) | ${ms(median(kumo))} | ${ms(pct(kumo, 99))} |`,
    `| ovn-nbctl lsp-add + addresses + port security (one process) | ${ms(median(cli))} | ${ms(pct(cli, 99))} |`,
    `| ratio (nbctl / ensurePort, medians) | ${ratio.toFixed(1)}× | |`,
  ];
}

async function main(): Promise<void> {
  console.log(`bench/network  ${machine()}  load ${load()}`);
  const lab = await Lab.start({ tag: 'bench', hosts: ['h1', 'h2', 'h3'], gateway: 'h3' });
  const plane = await ovn({ endpoint: lab.central.nb });
  const out: string[] = [];
  try {
    await plane.ensureVpc({ id: 'vpc-b', cidr: '10.20.0.0/16' });
    await plane.ensureSubnet({
      id: 'subnet-b',
      vpcId: 'vpc-b',
      cidr: '10.20.0.0/16',
      gateway: '10.20.0.1',
      gatewayMac: '02:00:0b:ff:00:01',
      dnsServers: [],
      mtu: 1400,
    });
    await plane.ensureSecurityGroup({ id: 'sg-b', vpcId: 'vpc-b', rules });
    const vmPort = (n: number): PlanePort => ({
      id: `port-vm${n}`,
      interfaceId: uuidOf(n),
      subnetId: 'subnet-b',
      mac: macOf(n),
      ips: [ipOf(n)],
      securityGroupIds: ['sg-b'],
    });
    for (const [n, host] of [
      [1, 'h1'],
      [2, 'h2'],
    ] as const) {
      await plane.ensurePort(vmPort(n));
      await lab.addVm(`vm${n}`, host, macOf(n), uuidOf(n));
      await plane.waitPortUp(`port-vm${n}`, 20_000);
      await lab.dhcp(`vm${n}`);
    }
    const vm1 = lab.vms.get('vm1')!.ns;
    if (!(await lab.reachable(vm1, ipOf(2)))) throw new Error('vm1 cannot reach vm2');

    // Security group rule removed → first ping blocked; added back → first ping answered.
    const blocked: number[] = [];
    const allowed: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let t0 = now();
      await plane.ensureSecurityGroup({
        id: 'sg-b',
        vpcId: 'vpc-b',
        rules: rules.filter((x) => x.id !== 'icmp-in'),
      });
      const b = await untilSeen(lab, vm1, ipOf(2), false, t0);
      t0 = now();
      await plane.ensureSecurityGroup({ id: 'sg-b', vpcId: 'vpc-b', rules });
      const a = await untilSeen(lab, vm1, ipOf(2), true, t0);
      if (b === undefined || a === undefined) throw new Error(`round ${r}: change not enforced within 10 s`);
      blocked.push(b);
      allowed.push(a);
      await sleep(200);
    }
    out.push(
      `| security group change → enforced (${ROUNDS} rounds, probes every 50 ms) | p50 | p99 |`,
      '|---|---|---|',
    );
    out.push(`| rule removed → first ping blocked | ${ms(median(blocked))} | ${ms(pct(blocked, 99))} |`);
    out.push(`| rule added → first ping answered | ${ms(median(allowed))} | ${ms(pct(allowed, 99))} |`, '');

    // EIP associate → reachable from outside, and moved to the other VM.
    const outside = lab.outsideNs!;
    await plane.ensureExternalNetwork({
      id: 'ext-b',
      cidr: '192.0.2.0/24',
      gateway: '192.0.2.1',
      physicalNetwork: 'provider',
      gatewayChassis: ['kovn-bench-h3'],
    });
    await plane.ensureVpcGateway({
      vpcId: 'vpc-b',
      externalNetworkId: 'ext-b',
      ip: '192.0.2.10',
      mac: '02:00:c0:00:02:0b',
    });
    const assoc: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = now();
      await plane.ensureElasticIp({
        id: 'eip-b',
        vpcId: 'vpc-b',
        ip: '192.0.2.60',
        portId: 'port-vm1',
        logicalIp: ipOf(1),
        bandwidthMbps: 0,
      });
      const t = await untilSeen(lab, outside, '192.0.2.60', true, t0);
      if (t === undefined) throw new Error(`round ${r}: EIP not reachable within 10 s`);
      assoc.push(t);
      await plane.removeElasticIp('eip-b');
      if ((await untilSeen(lab, outside, '192.0.2.60', false, now())) === undefined)
        throw new Error('EIP still answers');
      await sleep(200);
    }
    out.push(`| EIP (${ROUNDS} rounds) | p50 | p99 |`, '|---|---|---|');
    out.push(
      `| associate → first ping from outside answered | ${ms(median(assoc))} | ${ms(pct(assoc, 99))} |`,
      '',
    );

    // PORTS ports on 3 chassis (OVS internal ports with iface-id set) → all up.
    const hosts = ['h1', 'h2', 'h3'];
    const t0 = now();
    for (let i = 0; i < PORTS; i++) await plane.ensurePort(vmPort(100 + i));
    const tCreated = now();
    await Promise.all(
      hosts.map((h, k) => {
        const args: string[] = [];
        for (let i = k; i < PORTS; i += hosts.length) {
          const dev = `bp${i}`;
          args.push(
            '--',
            'add-port',
            'br-int',
            dev,
            '--',
            'set',
            'Interface',
            dev,
            'type=internal',
            `external_ids:iface-id=${uuidOf(100 + i)}`,
          );
        }
        return lab.vsctl(lab.hosts.get(h)!, ...args);
      }),
    );
    const tPlugged = now();
    await Promise.all(
      Array.from({ length: PORTS }, (_, i) => plane.waitPortUp(`port-vm${100 + i}`, 120_000)),
    );
    const tUp = now();
    out.push(`| ${PORTS} ports on 3 chassis | time |`, '|---|---|');
    out.push(`| ensurePort × ${PORTS} (sequential) | ${ms(tCreated - t0)} |`);
    out.push(`| plug (one ovs-vsctl per chassis) | ${ms(tPlugged - tCreated)} |`);
    out.push(
      `| plugged → all ${PORTS} up (OVN's Logical_Switch_Port.up, one monitor) | ${ms(tUp - tPlugged)} |`,
    );
    out.push(`| total, first ensurePort → all up | ${ms(tUp - t0)} |`, '');

    out.push(...(await portWrites(plane, lab.central.nb)));
  } finally {
    await plane.close();
    await lab.stop();
  }
  console.log(out.join('\n'));
}

await main();
