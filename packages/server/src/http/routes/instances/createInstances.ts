// createInstances: POST /v1/regions/{regionId}/instances — validated here, placed and queued by the service.
import { Errors } from '@kumo/contract';
import { z } from 'zod';
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

const NAME = /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const body = z.object({
  instanceSpec: z.object({
    az: z.string().max(64),
    instanceType: z.string().max(64),
    imageId: z.string().max(64),
    name: z.string().max(256),
    hostname: z.string().max(63).optional(),
    password: z.string().max(256).optional(),
    keyNames: z.array(z.string().max(64)).max(1).optional(),
    description: z.string().max(256).optional(),
    agId: z.string().max(64).optional(),
    instanceTemplateId: z.string().max(64).optional(),
    elasticIp: z.object({}).passthrough().optional(),
    dataDisks: z.array(z.unknown()).max(8).optional(),
    charge: z.object({ chargeMode: z.string().max(64).optional() }).optional(),
    primaryNetworkInterface: z.object({
      networkInterface: z.object({
        subnetId: z.string().max(64),
        primaryIpAddress: z.string().max(64).optional(),
        securityGroups: z.array(z.string().max(64)).max(5).optional(),
      }),
    }),
    systemDisk: z.object({
      diskCategory: z.enum(['local', 'cloud']),
      cloudDiskSpec: z
        .object({ diskType: z.enum(['ssd', 'premium-hdd']), diskSizeGB: z.number().int() })
        .optional(),
    }),
    userdata: z
      .union([
        z.string().max(16384),
        z.array(z.object({ key: z.string().max(64), value: z.string().max(22000) })).max(4),
      ])
      .optional(),
  }),
  maxCount: z.number().int().optional(),
  clientToken: z.string().max(64).optional(),
});

/** JD sends user data as [{key: 'launch-script', value: base64}]; a plain string is taken as is. */
function userdataOf(u: z.infer<typeof body>['instanceSpec']['userdata']): string | undefined {
  if (u === undefined || typeof u === 'string') return u;
  const script = u.find((e) => e.key === 'launch-script') ?? u[0];
  if (!script) return undefined;
  const text = Buffer.from(script.value, 'base64').toString('utf8');
  if (Buffer.byteLength(text) > 16384) throw Errors.outOfRange('InstanceSpec.Userdata');
  return text;
}

export default defineRoute({
  operation: 'createInstances',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances',
  body,
  handle: (ctx) => {
    const s = ctx.body.instanceSpec;
    const maxCount = ctx.body.maxCount ?? 1;
    if (maxCount < 1 || maxCount > 100) throw Errors.outOfRange('Maxcount');
    if (!NAME.test(s.name))
      throw Errors.invalidParameter(
        'InstanceSpec.Name',
        'use 1-32 Chinese characters, letters, digits, "_" or "-"',
      );
    if (s.hostname !== undefined && !HOSTNAME.test(s.hostname))
      throw Errors.invalidParameter('InstanceSpec.Hostname');
    if (s.agId || s.instanceTemplateId)
      throw Errors.unsupported('Availability groups and instance templates');
    if (s.elasticIp) throw Errors.unsupported('InstanceSpec.ElasticIp');
    if (s.dataDisks && s.dataDisks.length > 0) throw Errors.unsupported('InstanceSpec.DataDisks');
    if (s.charge?.chargeMode && s.charge.chargeMode !== 'postpaid_by_duration') {
      throw Errors.unsupported(`chargeMode '${s.charge.chargeMode.slice(0, 32)}'`);
    }
    const nic = s.primaryNetworkInterface.networkInterface;
    if (nic.primaryIpAddress !== undefined && !IPV4.test(nic.primaryIpAddress)) {
      throw Errors.invalidParameter('PrimaryIpAddress');
    }
    if (s.systemDisk.diskCategory === 'cloud' && !s.systemDisk.cloudDiskSpec) {
      throw Errors.missingParameter('InstanceSpec.SystemDisk.CloudDiskSpec');
    }
    return ctx.services.instances.create(scopeOf(ctx), callerOf(ctx), {
      name: s.name,
      az: s.az,
      instanceType: s.instanceType,
      imageId: s.imageId,
      subnetId: nic.subnetId,
      primaryIpAddress: nic.primaryIpAddress,
      keyNames: s.keyNames ?? [],
      password: s.password,
      hostname: s.hostname,
      description: s.description ?? '',
      diskCategory: s.systemDisk.diskCategory,
      diskSizeGB: s.systemDisk.cloudDiskSpec?.diskSizeGB,
      userdata: userdataOf(s.userdata),
      maxCount,
      clientToken: ctx.body.clientToken,
    });
  },
});
