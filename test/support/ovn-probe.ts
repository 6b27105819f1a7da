// A probe: a network namespace whose eth0 is an OVN logical switch port bound on the test
// environment's own chassis (kumo-test), plugged by hand as a lab machine in a VPC would be. Tests
// use it to reach guests' private addresses over the overlay, with nothing but ACLs in the path.
import { execFile } from 'node:child_process';
import type { KumoClient } from '@kumo/client';

const NB = process.env.KUMO_TEST_OVN_NB ?? 'unix:/var/lib/kumo-test/ovn/central/run/nb.sock';
const CHASSIS_DB = process.env.KUMO_TEST_CHASSIS_DB ?? '/var/lib/kumo-test/ovn/chassis/run/db.sock';

const run = (cmd: string, args: string[], timeout = 30_000) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { timeout, encoding: 'utf8' }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${errOut || err.message}`)) : resolve(out),
    ),
  );

/** The logical switch port (a UUID, libvirt's interfaceid) of Kumo interface `portId`, once the plane has it. */
export async function lspOf(portId: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await run('ovn-nbctl', [
      `--db=${NB}`,
      '--bare',
      '--columns=name',
      'find',
      'Logical_Switch_Port',
      `external_ids:"kumo:port-id"="${portId}"`,
    ]);
    if (out.trim()) return out.trim();
    if (Date.now() > deadline) throw new Error(`no logical switch port for ${portId}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A plugged probe. */
export interface Probe {
  /** Runs argv inside the probe's namespace. */
  exec(argv: string[], timeoutMs?: number): Promise<string>;
  remove(): Promise<void>;
}

/** Plugs namespace `ns` into br-int as the port `lsp` with the interface's MAC and address. */
export async function attachProbe(
  ns: string,
  nic: { lsp: string; mac: string; ip: string; prefix: number; gateway: string },
): Promise<Probe> {
  // A veth pair: one end a port of the chassis' br-int bound to the logical port, the other the
  // probe's eth0 (an internal port would be a tap the userspace datapath loses when it moves).
  const dev = `${ns.slice(0, 10)}-p`;
  const vsctl = (...a: string[]) => run('ovs-vsctl', [`--db=unix:${CHASSIS_DB}`, '--timeout=10', ...a]);
  const inNs = (...a: string[]) => run('ip', ['netns', 'exec', ns, ...a]);
  await run('ip', ['netns', 'add', ns]);
  await run('ip', ['link', 'add', dev, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await inNs('ip', 'link', 'set', 'lo', 'up');
  await inNs('ip', 'link', 'set', 'eth0', 'address', nic.mac);
  await inNs('ip', 'link', 'set', 'eth0', 'mtu', '1442');
  await inNs('ip', 'addr', 'add', `${nic.ip}/${nic.prefix}`, 'dev', 'eth0');
  await inNs('ip', 'link', 'set', 'eth0', 'up');
  await inNs('ip', 'route', 'add', 'default', 'via', nic.gateway);
  // The userspace datapath cannot complete checksums the kernel leaves to offload.
  await inNs('ethtool', '-K', 'eth0', 'tx', 'off');
  await run('ip', ['link', 'set', dev, 'up']);
  await vsctl(
    '--may-exist',
    'add-port',
    'br-int',
    dev,
    '--',
    'set',
    'Interface',
    dev,
    `external_ids:iface-id=${nic.lsp}`,
  );
  return {
    exec: (argv, timeoutMs = 30_000) => run('ip', ['netns', 'exec', ns, ...argv], timeoutMs),
    remove: async () => {
      await vsctl('--if-exists', 'del-port', 'br-int', dev).catch(() => '');
      await run('ip', ['netns', 'del', ns]).catch(() => '');
    },
  };
}

/**
 * A probe on a subnet of `user`'s: a network interface made there through the VPC API (so the
 * plane knows its address and MAC), plugged in as probe namespace `ns`.
 */
export async function probeInSubnet(user: KumoClient, subnetId: string, ns: string): Promise<Probe> {
  const R = `/v1/regions/${user.regionId}`;
  const eni = await user.request<{ networkInterfaceId: string }>('POST', `${R}/networkInterfaces/`, {
    body: { subnetId },
  });
  const nic = (
    await user.request<{ networkInterface: { macAddress: string; primaryIp: { privateIpAddress: string } } }>(
      'GET',
      `${R}/networkInterfaces/${eni.networkInterfaceId}`,
    )
  ).networkInterface;
  const prefix = (
    await user.request<{ subnet: { addressPrefix: string } }>('GET', `${R}/subnets/${subnetId}`)
  ).subnet.addressPrefix;
  const [net, bits] = prefix.split('/') as [string, string];
  return attachProbe(ns, {
    lsp: await lspOf(eni.networkInterfaceId),
    mac: nic.macAddress,
    ip: nic.primaryIp.privateIpAddress,
    prefix: Number(bits),
    gateway: net.replace(/\.0$/, '.1'),
  });
}
