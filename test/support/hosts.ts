// Throwaway libvirtd hosts for multi-host tests, each in its own network and mount namespace.
//
// They never touch the main libvirtd. A test host is a network namespace `kumo-h-<name>` joined
// to the caller's namespace (normally kumo-test) by a veth pair on 10.99.<slot>.0/24 (caller .1,
// host .2). Its virtlogd and libvirtd run in a private mount namespace in which /run/libvirt,
// /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt and /etc/libvirt are bind mounts of
// directories under /tmp/kumo-test-hosts/hosts/<name>/ (see scripts/test-host/libvirtd-in-ns.sh),
// so its sockets, pid files, domains, networks and logs never meet the main libvirtd's.
// Everything a host starts (libvirtd, virtlogd, qemu, dnsmasq) lives in its network namespace,
// which is how stop() finds and kills it; nftables rules, bridges and the veth die with it.
//
// Ownership across processes (several jest workers, several engineers on one machine) is kept in
// /tmp/kumo-test-hosts: a host directory and a slot directory, each created atomically (under a
// flock) and naming the owning pid. If the owning test process dies without stop() (a crash,
// SIGKILL, a jest run that never reaches afterAll), the host's watchdog kills its processes within
// a second or two (scripts/test-host/watchdog.sh) and the next start that needs the name or slot
// removes what is left on disk.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MACHINE_PID, killNetns, netnsIdOf, pidAlive, run, sleep, tryRun } from './netns.js';
import { sshdConfig } from './sshd.js';

export { pidsInNetns } from './netns.js';

/** One running test host. */
export interface TestHost {
  name: string;
  /** libvirt URI reachable from the caller's namespace, e.g. qemu+tcp://10.99.7.2/system. */
  uri: string;
  /** The host's address on its veth. */
  ip: string;
  /** The caller's address on the same veth (the host's only neighbour). */
  peerIp: string;
  /** Network namespace name, `kumo-h-<name>`. */
  netns: string;
  /** Kernel id of that namespace, as in /proc/PID/ns/net (e.g. "net:[4026532248]"). */
  netnsId: string;
  /** The per-host number N in 10.99.N.0/24 and natSubnet. */
  slot: number;
  /**
   * A /24 reserved for this host's guest networks (10.98.N.0/24), routed to it from the caller.
   * Guests on a forward mode='route' network there are reachable from the caller; libvirt's NAT
   * rules refuse new inbound connections, so reach NAT guests from inside the host (exec()).
   */
  natSubnet: string;
  /** A storage pool directory private to this host (as the host's libvirtd sees it). */
  poolPath: string;
  /**
   * With `ssh: true`: qemu+ssh URI (root, key and known_hosts files of this host) served by an sshd
   * in the host's namespaces, so its streamlocal channels reach this host's libvirt socket.
   */
  sshUri?: string;
  /** Capacity to advertise in kumod's host record, if the test asked for less than the machine. */
  memoryMiB?: number;
  /** Directory holding the host's private state (for debugging; removed by stop()). */
  stateDir: string;
  /** Runs `virsh -c <uri> ...args` from the caller's namespace; resolves with stdout. */
  virsh(args: string[]): Promise<string>;
  /** Runs a command inside the host's network namespace (not its mount namespace), e.g. ssh to a NAT guest. */
  exec(argv: string[]): Promise<string>;
  /**
   * Partitions the host from the control plane: its libvirt port answers every packet (open
   * connections included) with a TCP reset, as a host that is down or cut off looks to kumod.
   */
  cutOff(): Promise<void>;
  /** Ends the partition of cutOff(). */
  reconnect(): Promise<void>;
  /** Kills everything the host started and removes its namespace, veth and files. Idempotent. */
  stop(): Promise<void>;
}

const PARTITION_RULE = [
  'INPUT',
  '-p',
  'tcp',
  '--dport',
  '16509',
  '-j',
  'REJECT',
  '--reject-with',
  'tcp-reset',
];

const STATE_DIR = '/tmp/kumo-test-hosts';
const HOSTS_DIR = join(STATE_DIR, 'hosts');
const SLOTS_DIR = join(STATE_DIR, 'slots');
const LOCK_FILE = join(STATE_DIR, '.lock');
const WRAPPER = fileURLToPath(new URL('../../scripts/test-host/libvirtd-in-ns.sh', import.meta.url));
const SLOT_MIN = 1;
const SLOT_MAX = 250;
const LIBVIRTD_PORT = 16509;
// Long enough for a libvirtd that has to probe QEMU itself (no capabilities cache to copy).
const READY_TIMEOUT_MS = 30_000;
const QEMU_CAPS_CACHE = '/var/cache/libvirt/qemu';
const STATE_SUBDIRS = ['run', 'lib', 'cache', 'log', 'etc'] as const;

const live = new Map<string, TestHost>();

/** Creates `dir` with `files` atomically (rename of a filled temp dir); false if it exists. */
function createOwnedDir(dir: string, files: Record<string, string>): boolean {
  const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(tmp, { mode: 0o755 });
  for (const [f, content] of Object.entries(files)) writeFileSync(join(tmp, f), content);
  try {
    renameSync(tmp, dir);
    return true;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  }
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

const hostDir = (name: string) => join(HOSTS_DIR, name);
const slotDir = (slot: number) => join(SLOTS_DIR, String(slot));
const netnsName = (name: string) => `kumo-h-${name}`;
const vethName = (slot: number) => `kh${slot}`;

/** Removes every trace of a host from the caller's side: processes, namespace name, veth, files, slot. */
async function teardown(name: string): Promise<void> {
  const dir = hostDir(name);
  const id = readOr(join(dir, 'netns-id'), '');
  if (id) await killNetns(id);
  const ns = netnsName(name);
  await tryRun('ip', ['netns', 'del', ns]);
  // Its chassis leaves the southbound database too, or other chassis keep tunnels to it.
  if (existsSync(TEST_OVN_SB))
    await tryRun('ovn-sbctl', [`--db=unix:${TEST_OVN_SB}`, '--if-exists', 'chassis-del', ns]);
  // The name's bind mount exists only in the mount namespace that created it (ip netns exec
  // makes each one a slave); from anywhere else the name is a plain file left on disk.
  rmSync(`/run/netns/${ns}`, { force: true });
  const slot = Number(readOr(join(dir, 'slot'), 'NaN'));
  if (Number.isInteger(slot)) {
    await tryRun('ip', ['link', 'del', vethName(slot)]);
    if (existsSync(TEST_CHASSIS_DB)) {
      await tryRun('ovs-vsctl', [
        `--db=unix:${TEST_CHASSIS_DB}`,
        '--if-exists',
        'del-port',
        'br-phy',
        vethName(slot),
      ]);
      await tryRun('ip', ['addr', 'del', `10.99.${slot}.1/24`, 'dev', 'br-phy']);
    }
    if (readOr(join(slotDir(slot), 'name'), '') === name)
      rmSync(slotDir(slot), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `fn` holding an exclusive flock on STATE_DIR/.lock, so that claiming names and slots and
 * reclaiming dead owners' ones never race (between jest workers, engineers, or parallel starts in
 * one process). The lock is held by a `cat` reading our pipe: it ends, and the kernel drops the
 * lock, when we close the pipe or when this process dies.
 */
async function withAllocationLock<T>(fn: () => Promise<T>): Promise<T> {
  const holder = spawn(
    'flock',
    ['--timeout', '120', LOCK_FILE, 'sh', '-c', 'echo locked; exec cat >/dev/null'],
    {
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('error', reject);
    holder.once('exit', (code) => reject(new Error(`flock ${LOCK_FILE} exited with ${code}`)));
  });
  try {
    return await fn();
  } finally {
    holder.stdin.end();
  }
}

/** Takes the host directory for `name`, cleaning up a crashed owner's leftovers first. */
async function claimName(name: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createOwnedDir(hostDir(name), { owner: String(process.pid) })) return;
    const owner = Number(readOr(join(hostDir(name), 'owner'), '0'));
    if (owner === process.pid) throw new Error(`test host ${name} is already running in this process`);
    if (owner && pidAlive(owner)) throw new Error(`test host ${name} is in use by pid ${owner}`);
    await teardown(name);
  }
  throw new Error(`could not claim test host name ${name}`);
}

function subnetInUse(slot: number, routes: string): boolean {
  return routes.includes(`10.99.${slot}.`) || routes.includes(`10.98.${slot}.`);
}

/** Frees a slot whose owner died: the host holding it is torn down, or just the slot if that host is gone. */
async function reclaimSlot(slot: number, name: string): Promise<void> {
  const holder = readOr(join(slotDir(slot), 'name'), '');
  // The holder's name may meanwhile belong to a live host on another slot: leave that one alone.
  const holderOwner = Number(readOr(join(hostDir(holder), 'owner'), '0'));
  if (holder && holder !== name && holderOwner && !pidAlive(holderOwner)) await teardown(holder);
  await tryRun('ip', ['link', 'del', vethName(slot)]);
  rmSync(slotDir(slot), { recursive: true, force: true });
}

async function addressesHere(): Promise<string> {
  return (await run('ip', ['-4', 'route', 'show', 'table', 'all'])) + (await run('ip', ['-4', 'addr']));
}

/** Takes a free slot N (10.99.N.0/24 and 10.98.N.0/24 unused here and by other test hosts). */
async function claimSlot(name: string): Promise<number> {
  mkdirSync(SLOTS_DIR, { recursive: true, mode: 0o755 });
  let used = await addressesHere();
  for (let slot = SLOT_MIN; slot <= SLOT_MAX; slot++) {
    if (existsSync(slotDir(slot))) {
      const owner = Number(readOr(join(slotDir(slot), 'owner'), '0'));
      if (!owner || pidAlive(owner)) continue;
      await reclaimSlot(slot, name);
      used = await addressesHere();
    }
    if (subnetInUse(slot, used)) continue;
    if (createOwnedDir(slotDir(slot), { owner: String(process.pid), name })) return slot;
  }
  throw new Error('no free test host slot');
}

/** Host-local copy of /etc/libvirt: the daemons' config files and nwfilters, but none of the main daemon's domains, networks, pools or secrets. */
function writeEtc(etc: string, ip: string): void {
  for (const f of readdirSync('/etc/libvirt')) {
    if (f.endsWith('.conf')) cpSync(join('/etc/libvirt', f), join(etc, f));
  }
  for (const d of ['nwfilter', 'hooks']) {
    if (existsSync(join('/etc/libvirt', d)))
      cpSync(join('/etc/libvirt', d), join(etc, d), { recursive: true });
  }
  for (const d of ['qemu/networks/autostart', 'qemu/autostart', 'storage/autostart', 'secrets']) {
    mkdirSync(join(etc, d), { recursive: true });
  }
  writeFileSync(
    join(etc, 'libvirtd.conf'),
    [
      '# Test host: plain TCP without auth, on the host veth address only (never on the caller side).',
      'listen_tls = 0',
      'listen_tcp = 1',
      `listen_addr = "${ip}"`,
      `tcp_port = "${LIBVIRTD_PORT}"`,
      'auth_tcp = "none"',
      'unix_sock_dir = "/run/libvirt"',
      'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"',
      '',
    ].join('\n'),
  );
}

function prepareStateDirs(dir: string, ip: string): void {
  chmodSync(dir, 0o755);
  // 0755 throughout: qemu runs as libvirt-qemu and must traverse the bind-mounted roots.
  for (const d of STATE_SUBDIRS) mkdirSync(join(dir, d), { mode: 0o755 });
  // What libvirt-daemon-system's package creates on a real host: guests' console logs land here.
  mkdirSync(join(dir, 'log', 'qemu'), { mode: 0o755 });
  writeEtc(join(dir, 'etc'), ip);
  // A copy (read, never written) of the main daemon's QEMU capabilities cache: without it the new
  // libvirtd probes QEMU before answering, ~8 s here instead of ~0.5 s. libvirt re-validates the
  // cache against the QEMU binary and re-probes if it is stale, so the copy can only save time.
  if (existsSync(QEMU_CAPS_CACHE)) cpSync(QEMU_CAPS_CACHE, join(dir, 'cache', 'qemu'), { recursive: true });
}

/** Key pairs and config for the host's own sshd (started by the wrapper when the config exists). */
async function prepareSsh(dir: string, ip: string): Promise<string> {
  const ssh = join(dir, 'ssh');
  mkdirSync(ssh, { mode: 0o700 });
  for (const key of ['host_key', 'client_key']) {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kumo-test-host', '-f', join(ssh, key)]);
  }
  const pub = (key: string) => readFileSync(join(ssh, `${key}.pub`), 'utf8').trim();
  writeFileSync(join(ssh, 'authorized_keys'), `${pub('client_key')}\n`);
  writeFileSync(join(ssh, 'known_hosts'), `${ip} ${pub('host_key')}\n`);
  writeFileSync(
    join(ssh, 'sshd_config'),
    sshdConfig({
      listen: `${ip}:22`,
      hostKey: join(ssh, 'host_key'),
      authorizedKeys: join(ssh, 'authorized_keys'),
      // Inside the private mount: this host's run directory, not the machine's /run/sshd.pid.
      pidFile: '/run/libvirt/sshd.pid',
      // TCP forwarding stays allowed: `AllowTcpForwarding no` also denies streamlocal channels.
      extra: ['AllowStreamLocalForwarding yes'],
    }),
  );
  const q = new URLSearchParams({ keyfile: join(ssh, 'client_key'), known_hosts: join(ssh, 'known_hosts') });
  return `qemu+ssh://root@${ip}/system?${q}`;
}

/** Creates the namespace and veth pair; records the namespace id first so any later failure can be cleaned up. */
async function createNetwork(name: string, dir: string, slot: number): Promise<void> {
  const ns = netnsName(name);
  await run('ip', ['netns', 'add', ns]);
  writeFileSync(join(dir, 'netns-id'), `net:[${statSync(`/run/netns/${ns}`).ino}]`);
  const veth = vethName(slot);
  await run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  // With OVN, the caller's side is a port of the environment chassis' br-phy (see chassisEnv),
  // which carries the caller's address; otherwise the veth itself does.
  const callerDev = existsSync(TEST_OVN_SB) ? 'br-phy' : veth;
  if (callerDev === 'br-phy') {
    await run('ovs-vsctl', [`--db=unix:${TEST_CHASSIS_DB}`, '--may-exist', 'add-port', 'br-phy', veth]);
    await run('ethtool', ['-K', veth, 'tx', 'off']);
  }
  await run('ip', ['addr', 'add', `10.99.${slot}.1/24`, 'dev', callerDev]);
  await run('ip', ['link', 'set', veth, 'up']);
  await run('ip', ['-n', ns, 'addr', 'add', `10.99.${slot}.2/24`, 'dev', 'eth0']);
  await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  // Guests on the host's 10.98.N.0/24 networks are then routable from the caller. The host has
  // no default route on purpose: its guests can reach the caller's namespace and nothing else.
  await run('ip', ['route', 'add', `10.98.${slot}.0/24`, 'via', `10.99.${slot}.2`, 'dev', callerDev]);
  // The environment's Ceph, on an address of the caller's namespace: guests on this host open rbd
  // disks there, as a real host's guests reach the storage network.
  const cephHost = process.env.CEPH_MON_ADDR?.split(':')[0];
  if (cephHost && !cephHost.startsWith('127.'))
    await run('ip', ['-n', ns, 'route', 'add', `${cephHost}/32`, 'via', `10.99.${slot}.1`]);
}

/** The test environment's OVN southbound database, which every test host's chassis joins. */
const TEST_OVN_SB = process.env.KUMO_TEST_OVN_SB ?? '/var/lib/kumo-test/ovn/central/run/sb.sock';
/** The environment chassis' own OVS database (its br-phy takes the hosts' veths). */
const TEST_CHASSIS_DB = process.env.KUMO_TEST_CHASSIS_DB ?? '/var/lib/kumo-test/ovn/chassis/run/db.sock';

/**
 * The environment for the wrapper's optional chassis: when the test environment runs OVN, the host
 * is an OVN chassis named after its namespace, tunnelling from its veth address, so kumod's
 * instances on it join the same logical networks as everywhere else.
 */
function chassisEnv(dir: string, slot: number): Record<string, string> {
  if (!existsSync(TEST_OVN_SB)) return {};
  return {
    KUMO_OVN_CHASSIS_ROOT: join(dir, 'ovn'),
    KUMO_OVN_SB: `unix:${TEST_OVN_SB}`,
    KUMO_OVN_ENCAP_IP: `10.99.${slot}.2`,
    // The veth onto the host's br-phy; the other hosts and the environment chassis' tunnel address
    // (10.99.255.1, scripts/libvirtd-up.sh) through the caller's namespace, which forwards.
    KUMO_OVN_UNDERLAY_DEV: 'eth0',
    KUMO_OVN_UNDERLAY_CIDR: `10.99.${slot}.2/24`,
    KUMO_OVN_UNDERLAY_ROUTE: `10.99.0.0/16 via 10.99.${slot}.1`,
  };
}

async function startDaemons(name: string, dir: string, uri: string, slot: number): Promise<void> {
  // The wrapper also leaves a watchdog that empties the namespace if this process dies without stop().
  const inMountNs = ['unshare', '--mount', '--propagation', 'private'];
  const env = Object.entries(chassisEnv(dir, slot)).map(([k, v]) => `${k}=${v}`);
  await run('ip', [
    'netns',
    'exec',
    netnsName(name),
    'env',
    ...env,
    ...inMountNs,
    WRAPPER,
    dir,
    String(process.pid),
  ]);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    try {
      // libvirtd accepts connections before its drivers are ready and answers once they are, so
      // one attempt may legitimately wait; retries only cover "connection refused" (not bound yet).
      await run('virsh', ['-c', uri, 'version'], Math.max(1000, deadline - Date.now()));
      return;
    } catch (e) {
      last = (e as Error).message;
      await sleep(100);
    }
  }
  const log = readOr(join(dir, 'log', 'libvirtd.log'), '(no libvirtd.log)').slice(-2000);
  throw new Error(`test host ${name}: libvirtd did not answer on ${uri}: ${last}\n${log}`);
}

function makeHost(name: string, dir: string, slot: number, memoryMiB?: number): TestHost {
  const ip = `10.99.${slot}.2`;
  const uri = `qemu+tcp://${ip}/system`;
  let stopping: Promise<void> | undefined;
  let netnsId = '';
  const host: TestHost = {
    name,
    uri,
    ip,
    peerIp: `10.99.${slot}.1`,
    netns: netnsName(name),
    // Read lazily (the namespace is created after this object) and kept after stop() removes the file.
    get netnsId() {
      netnsId ||= readOr(join(dir, 'netns-id'), '');
      return netnsId;
    },
    slot,
    natSubnet: `10.98.${slot}.0/24`,
    poolPath: '/var/lib/libvirt/images',
    memoryMiB,
    stateDir: dir,
    virsh: (args) => run('virsh', ['-c', uri, ...args], 60_000),
    exec: (argv) => run('ip', ['netns', 'exec', netnsName(name), ...argv], 60_000),
    cutOff: async () => {
      await run('ip', ['netns', 'exec', netnsName(name), 'iptables', '-I', ...PARTITION_RULE]);
    },
    reconnect: async () => {
      await run('ip', ['netns', 'exec', netnsName(name), 'iptables', '-D', ...PARTITION_RULE]);
    },
    stop: () => {
      stopping ??= teardown(name).finally(() => live.delete(name));
      return stopping;
    },
  };
  return host;
}

/** Claims the name, then a slot (recorded in the host directory); on failure gives the name back. */
async function allocate(name: string): Promise<number> {
  await claimName(name);
  try {
    const slot = await claimSlot(name);
    writeFileSync(join(hostDir(name), 'slot'), String(slot));
    return slot;
  } catch (e) {
    await teardown(name).catch(() => undefined);
    throw e;
  }
}

/**
 * Starts a test host named `name` (lower-case letters, digits, dashes; unique among hosts running
 * on the machine). Call it from the namespace the host should be reachable from (kumo-test).
 * `memoryMiB` is only recorded for kumod's host record: libvirt's node info still shows the machine.
 * `ssh` also serves the host over qemu+ssh (see TestHost.sshUri).
 */
export async function startTestHost(
  name: string,
  opts: { memoryMiB?: number; ssh?: boolean } = {},
): Promise<TestHost> {
  if (!/^[a-z0-9][a-z0-9-]{0,19}$/.test(name)) throw new Error(`bad test host name: ${name}`);
  // The veth, its addresses and the guest route go into the caller's namespace: never the machine's.
  if (netnsIdOf('self') === netnsIdOf(MACHINE_PID)) {
    throw new Error('startTestHost must run inside a test namespace (ip netns exec kumo-test …)');
  }
  mkdirSync(HOSTS_DIR, { recursive: true, mode: 0o755 });
  const dir = hostDir(name);
  const slot = await withAllocationLock(() => allocate(name));
  try {
    const host = makeHost(name, dir, slot, opts.memoryMiB);
    live.set(name, host);
    prepareStateDirs(dir, host.ip);
    if (opts.ssh) host.sshUri = await prepareSsh(dir, host.ip);
    await createNetwork(name, dir, slot);
    await startDaemons(name, dir, host.uri, slot);
    return host;
  } catch (e) {
    await teardown(name).catch(() => undefined);
    live.delete(name);
    throw e;
  }
}

/** Stops every test host this process started (for afterAll). */
export async function stopAllTestHosts(): Promise<void> {
  await Promise.all([...live.values()].map((h) => h.stop()));
}
