// createInstances through its route: the contract's schema (via validateBody, as the router runs
// it) and the route's cross-field rules, with the service replaced by a recorder.
import { expect, test } from '@jest/globals';
import { ApiError } from '@kumo/contract';
import type { Account } from '@kumo/store';
import type { CreateRequest } from '../../../services/instances.js';
import type { Services } from '../../../services/index.js';
import { validateBody } from '../../params.js';
import type { RequestContext } from '../../route.js';
import route from './createInstances.js';

const account: Account = { id: 'acc-1', name: 'alice', isAdmin: false, createdAt: new Date(0) };

/** Runs a raw JSON body through the schema and the handler; returns what the service was asked. */
async function create(body: Record<string, unknown>): Promise<CreateRequest> {
  const parsed = validateBody(route.body!, body);
  let asked: CreateRequest | undefined;
  const services = {
    instances: {
      create: async (_scope: unknown, _caller: unknown, req: CreateRequest) => {
        asked = req;
        return { instanceIds: ['i-aaaaaaaaaaaa'] };
      },
    },
  } as unknown as Services;
  const ctx: RequestContext<typeof parsed> = {
    requestId: 'req-1',
    account,
    accessKey: 'AK1',
    regionId: 'cn-north-1',
    params: { regionId: 'cn-north-1' },
    query: {},
    body: parsed,
    services,
  };
  await route.handle(ctx);
  return asked!;
}

const spec = (over: Record<string, unknown> = {}) => ({
  instanceSpec: {
    az: 'cn-north-1a',
    instanceType: 'g.n2.medium',
    imageId: 'img-aaaaaaaaaaaa',
    name: 'web',
    primaryNetworkInterface: { networkInterface: { subnetId: 'subnet-aaaaaaaaaa' } },
    ...over,
  },
});

async function rejection(body: Record<string, unknown>): Promise<{ status: string; message: string }> {
  try {
    await create(body);
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected the request to be refused');
}

test('systemDisk is optional: JD’s default is a local disk', async () => {
  const req = await create(spec());
  expect(req).toMatchObject({ diskCategory: 'local', maxCount: 1, keyNames: [], description: '' });
  expect(req.diskSizeGB).toBeUndefined();
});

test('a local disk ignores cloud-disk fields, as JD’s Terraform provider sends them', async () => {
  const req = await create(
    spec({ systemDisk: { diskCategory: 'local', cloudDiskSpec: { diskType: '', diskSizeGB: 0 } } }),
  );
  expect(req.diskCategory).toBe('local');
  expect(req.diskSizeGB).toBeUndefined();
});

test('a cloud disk needs a known type and a size', async () => {
  const ok = await create(
    spec({ systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 60 } } }),
  );
  expect(ok).toMatchObject({ diskCategory: 'cloud', diskSizeGB: 60 });
  expect(await rejection(spec({ systemDisk: { diskCategory: 'cloud' } }))).toEqual({
    status: 'INVALID_ARGUMENT',
    message: 'Parameter InstanceSpec.SystemDisk.CloudDiskSpec missing',
  });
  expect(
    await rejection(spec({ systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: '' } } })),
  ).toMatchObject({
    message: 'Parameter instanceSpec.systemDisk.cloudDiskSpec.diskType missing',
  });
  expect(
    (
      await rejection(
        spec({ systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'tape', diskSizeGB: 60 } } }),
      )
    ).message,
  ).toMatch(/^Invalid parameter instanceSpec\.systemDisk\.cloudDiskSpec\.diskType/);
  expect(
    await rejection(spec({ systemDisk: { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd' } } })),
  ).toMatchObject({
    message: 'Parameter instanceSpec.systemDisk.cloudDiskSpec.diskSizeGB missing',
  });
});

test('keys match case-insensitively, as JD samples send them', async () => {
  const req = await create({
    InstanceSpec: {
      Az: 'cn-north-1a',
      InstanceType: 'g.n2.medium',
      ImageId: 'img-aaaaaaaaaaaa',
      Name: 'web',
      PrimaryNetworkInterface: { NetworkInterface: { SubnetId: 'subnet-aaaaaaaaaa' } },
      SystemDisk: { DiskCategory: 'local' },
    },
    MaxCount: 2,
  });
  expect(req).toMatchObject({
    az: 'cn-north-1a',
    networkInterface: { subnetId: 'subnet-aaaaaaaaaa' },
    maxCount: 2,
    diskCategory: 'local',
  });
});

test('missing required fields and bad values are refused with JD’s errors', async () => {
  expect(await rejection({ instanceSpec: { az: 'cn-north-1a' } })).toMatchObject({
    status: 'INVALID_ARGUMENT',
    message: expect.stringMatching(/^Parameter instanceSpec\.\w+ missing$/),
  });
  expect(await rejection({ ...spec(), maxCount: 0 })).toEqual({
    status: 'OUT_OF_RANGE',
    message: 'Maxcount out of range',
  });
  expect((await rejection(spec({ name: 'no spaces allowed' }))).message).toMatch(
    /^Invalid parameter InstanceSpec\.Name/,
  );
  expect((await rejection(spec({ hostname: '-bad' }))).message).toBe(
    'Invalid parameter InstanceSpec.Hostname',
  );
  expect(
    (
      await rejection(
        spec({
          primaryNetworkInterface: { networkInterface: { subnetId: 's', primaryIpAddress: '10.0.0.256' } },
        }),
      )
    ).message,
  ).toBe('Invalid parameter PrimaryIpAddress');
  expect((await rejection(spec({ dataDisks: [{ diskCategory: 'cloud' }] }))).message).toBe(
    'Parameter InstanceSpec.DataDisks[0].CloudDiskSpec missing',
  );
  expect((await rejection(spec({ dataDisks: [{ diskCategory: 'local' }] }))).message).toBe(
    'Local data disks (give diskCategory cloud) is not supported by this cloud',
  );
  expect(
    (
      await rejection(
        spec({ dataDisks: [{ cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20, az: 'other' } }] }),
      )
    ).message,
  ).toMatch(/^Invalid parameter InstanceSpec\.DataDisks\[0\]\.CloudDiskSpec\.Az/);
  expect((await rejection(spec({ charge: { chargeMode: 'monthly' } }))).message).toMatch(
    /^Invalid parameter InstanceSpec\.Charge\.ChargeMode: must be one of postpaid_by_duration/,
  );
  expect(
    await rejection(
      spec({ charge: { chargeMode: 'prepaid_by_duration', chargeUnit: 'year', chargeDuration: 4 } }),
    ),
  ).toEqual({ status: 'OUT_OF_RANGE', message: 'InstanceSpec.Charge.ChargeDuration out of range' });
});

test('a ChargeSpec reaches the service validated, prepaid with its period', async () => {
  expect((await create(spec())).charge).toEqual({ mode: 'postpaid_by_duration' });
  expect(
    (
      await create(
        spec({ charge: { chargeMode: 'prepaid_by_duration', chargeUnit: 'month', chargeDuration: 3 } }),
      )
    ).charge,
  ).toEqual({ mode: 'prepaid_by_duration', unit: 'month', duration: 3 });
});

test('launch-script user data is decoded from base64', async () => {
  const value = Buffer.from('#!/bin/sh\necho hi\n').toString('base64');
  const req = await create(spec({ userdata: [{ key: 'launch-script', value }] }));
  expect(req.userdata).toBe('#!/bin/sh\necho hi\n');
});

test('the route declares the catalogue errors it can return', () => {
  expect(route.errors).toEqual(
    expect.arrayContaining(['noCapacity', 'quotaExceeded', 'imageNotFound', 'subnetNotFound']),
  );
});
