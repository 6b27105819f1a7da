// A browser console on each kind of remote host: one throwaway libvirtd reached over SSH (the
// guest's VNC on a unix socket, reached through SSH's direct-streamlocal channel) and one over
// plaintext TCP (the guest's VNC on the host's address, guarded by its VNC password, which kumod
// answers). Chromium shows both screens through kumod. One guest per host, booted together.
/// <reference lib="dom" />
import { jest } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import type { KumoClient } from '@kumo/client';
import { startTestHost, stopAllTestHosts, type TestHost } from '../../support/hosts.js';
import { newAccount } from '../../support/kumod.js';
import { startGuestCloud, subnetOf, tinyInstance, waitStatus, type GuestCloud } from './support.js';

jest.setTimeout(12 * 60_000);

let cloud: GuestCloud;
let user: KumoClient;
let browser: Browser;
let tcpHost: TestHost;
let sshHost: TestHost;
const ids: { tcp: string; ssh: string } = { tcp: '', ssh: '' };

beforeAll(async () => {
  cloud = await startGuestCloud('kconhost', '10.215', { noLocalHost: true });
  tcpHost = await startTestHost('kcon-tcp');
  sshHost = await startTestHost('kcon-ssh', { ssh: true });
  const register = async (name: string, uri: string, az: string, poolPath: string) => {
    await cloud.admin.adminRequest('POST', '/hosts', {
      body: {
        ...{ name, uri, regionId: 'local-1', az, poolPath, accelerator: 'qemu' },
        ...{ cpuRatio: 4, memoryRatio: 1, diskRatio: 20 },
      },
    });
  };
  await register('kcon-tcp', tcpHost.uri, 'local-1a', tcpHost.poolPath);
  await register('kcon-ssh', sshHost.sshUri!, 'local-1b', sshHost.poolPath);
  user = await newAccount(cloud.kumod, 'console-hosts');
  const create = async (az: string, name: string) => {
    const subnetId = await subnetOf(user, az);
    const spec = { az, password: 'kcon-host5', primaryNetworkInterface: { networkInterface: { subnetId } } };
    return (await user.createInstances(tinyInstance(cloud, name, spec))).instanceIds[0]!;
  };
  ids.tcp = await create('local-1a', 'kcon-on-tcp');
  ids.ssh = await create('local-1b', 'kcon-on-ssh');
  await Promise.all([
    waitStatus(user, ids.tcp, 'running', 240_000),
    waitStatus(user, ids.ssh, 'running', 240_000),
  ]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 8 * 60_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.cleanup();
  await stopAllTestHosts();
});

/** Opens the instance's console URL; resolves with noVNC's status and the screen's colour count. */
async function screenOf(id: string): Promise<{ status: string; colours: number }> {
  const { vncUrl } = await user.request<{ vncUrl: string }>('GET', `/v1/regions/local-1/instances/${id}/vnc`);
  const page = await browser.newPage();
  try {
    await page.goto(vncUrl);
    await page.waitForFunction(
      () => document.getElementById('status')?.textContent !== 'connecting',
      undefined,
      {
        timeout: 30_000,
      },
    );
    const status = (await page.textContent('#status')) ?? '';
    let colours = 0;
    const end = Date.now() + 60_000;
    while (status === 'connected' && colours < 2 && Date.now() < end) {
      colours = await page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('#screen canvas');
        if (!c || c.width === 0) return 0;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
        return seen.size;
      });
      if (colours < 2) await page.waitForTimeout(1000);
    }
    return { status, colours };
  } finally {
    await page.close();
  }
}

test('a host reached over SSH: VNC on a unix socket, through direct-streamlocal', async () => {
  const xml = await sshHost.virsh(['dumpxml', `${cloud.prefix}${ids.ssh}`]);
  expect(xml).toMatch(/<listen type='socket' socket='[^']+vnc\.sock'\/>/);
  expect(xml).not.toMatch(/type='vnc' port=/);
  const screen = await screenOf(ids.ssh);
  expect(screen.status).toBe('connected');
  expect(screen.colours).toBeGreaterThan(1);
});

test('a host reached over TCP: VNC on the host’s address with a password kumod answers', async () => {
  const xml = await tcpHost.virsh(['dumpxml', `${cloud.prefix}${ids.tcp}`]);
  expect(xml).toContain(`<listen type='address' address='${tcpHost.ip}'/>`);
  // The listener has a password (shown only with --security-info): no open VNC port on that network.
  expect(await tcpHost.virsh(['dumpxml', '--security-info', `${cloud.prefix}${ids.tcp}`])).toMatch(
    /passwd='[A-Za-z0-9_-]{8}'/,
  );
  const screen = await screenOf(ids.tcp);
  expect(screen.status).toBe('connected');
  expect(screen.colours).toBeGreaterThan(1);
});
