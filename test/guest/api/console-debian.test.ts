// The browser console on the Debian image: the screen shows systemd's getty on tty1, and the
// image's user logs in there with the instance's password (set by cloud-init) and runs a command
// that SSH then finds. One Debian boot.
/// <reference lib="dom" />
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { KumoClient } from '@kumo/client';
import { buildImage } from '../../../packages/hypervisor/test/support.js';
import { newAccount } from '../../support/kumod.js';
import {
  EIP,
  loginIp,
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  waitSsh,
  waitStatus,
  type GuestCloud,
} from './support.js';

jest.setTimeout(20 * 60_000);

// Unshifted characters only (see console.test.ts: Playwright types without Shift).
const PASSWORD = 'kcon-debian3';
let cloud: GuestCloud;
let user: KumoClient;
let browser: Browser;

beforeAll(async () => {
  cloud = await startGuestCloud('kcondeb', '10.216');
  const debian = await buildImage('debian');
  await cloud.admin.adminRequest('POST', '/images:import', {
    body: { manifestPath: join(debian.dir, 'manifest.json'), regionId: 'local-1', name: 'debian-12' },
  });
  user = await newAccount(cloud.kumod, 'console-debian');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 10 * 60_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.cleanup();
});

test('the Debian user logs in on the graphical console with the instance password', async () => {
  const imageId = (await user.describeImages({ platform: 'Debian' })).images[0]!.imageId;
  const key = opensshPrivateKey((await user.createKeypair('kcon-deb')).privateKey);
  const { instanceIds } = await user.createInstances({
    instanceSpec: {
      name: 'kcon-deb',
      az: 'local-1a',
      instanceType: 't.n1.small',
      imageId,
      keyNames: ['kcon-deb'],
      password: PASSWORD,
      systemDisk: { diskCategory: 'local' },
      elasticIp: EIP,
    },
  });
  const id = instanceIds[0]!;
  await waitStatus(user, id, 'running', 300_000);
  const ip = await loginIp(user, id);
  await waitSsh(ip, 'debian', key, 10 * 60_000);
  const sh = (cmd: string) => sshExec(ip, 'debian', key, cmd, 60_000);
  // The password is cloud-init's to set; its last stage runs well after SSH answers under TCG.
  await sh('cloud-init status --wait >/dev/null || true');

  const { vncUrl } = await user.request<{ vncUrl: string }>('GET', `/v1/regions/local-1/instances/${id}/vnc`);
  const page = await browser.newPage();
  await page.goto(vncUrl);
  await page.waitForFunction(
    () => document.getElementById('status')?.textContent === 'connected',
    undefined,
    {
      timeout: 30_000,
    },
  );
  await page.click('#screen canvas');
  const type = async (text: string, pauseMs: number) => {
    await page.keyboard.type(text, { delay: 80 });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(pauseMs);
  };
  await page.keyboard.press('Enter');
  await page.waitForTimeout(2000);
  await type('debian', 3000);
  await type(PASSWORD, 8000);
  await type('touch /tmp/kcon-debian-typed', 3000);
  let seen = '';
  for (let i = 0; i < 30 && !seen.includes('kcon-debian-typed'); i++) {
    seen = await sh('ls /tmp');
    if (!seen.includes('kcon-debian-typed')) await page.waitForTimeout(1000);
  }
  if (!seen.includes('kcon-debian-typed')) await page.screenshot({ path: '/tmp/kcon-debian-console.png' });
  await page.close();
  expect(seen).toContain('kcon-debian-typed');
});
