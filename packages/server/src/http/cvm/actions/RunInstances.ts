// RunInstances: createInstances from CVM's parameters. What Kumo does not have (local data disks,
// encrypted disks, prepaid charging) is refused, not ignored.
import { randomBytes } from 'node:crypto';
import { INSTANCE_NAME, INSTANCE_NAME_RULE, TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { callerOf, scopeOf } from '../batch.js';
import type { ChargeRequest } from '../../../billing/charges.js';
import type { DataDiskRequest } from '../../../services/instance-requests.js';
import { DISK_TYPE_OF } from '../cbs/views.js';
import { CBS_IDS, cvmInstanceId, keyNameOf } from '../ids.js';
import { idList } from '../params.js';

const LOCAL_DISKS = ['LOCAL_BASIC', 'LOCAL_SSD'];
const CLOUD_DISKS = ['CLOUD_BASIC', 'CLOUD_PREMIUM', 'CLOUD_SSD', 'CLOUD_BSSD', 'CLOUD_HSSD'];

type TencentDataDisk = {
  DiskSize: number;
  DiskType?: string | undefined;
  DiskId?: string | undefined;
  DeleteWithInstance?: boolean | undefined;
  SnapshotId?: string | undefined;
  Encrypt?: boolean | undefined;
  DiskName?: string | undefined;
};

/** Tencent's DataDisks as Kumo's cloud data disks (Tencent's default type is local: refused). */
function dataDisksOf(disks: TencentDataDisk[]): DataDiskRequest[] {
  return disks.map((x, i) => {
    const type = x.DiskType ?? 'LOCAL_BASIC';
    if (LOCAL_DISKS.includes(type)) throw TencentErrors.unsupportedOperation('local data disks');
    const diskType = DISK_TYPE_OF[type];
    if (!diskType)
      throw TencentErrors.invalidParameterValue(
        `DataDisks.${i}.DiskType`,
        Object.keys(DISK_TYPE_OF).join(', '),
      );
    if (x.DiskId !== undefined) throw TencentErrors.unsupportedOperation('DataDisks.DiskId');
    if (x.Encrypt) throw TencentErrors.unsupportedOperation('encrypted disks');
    return {
      diskType,
      diskSizeGB: x.DiskSize,
      ...(x.SnapshotId !== undefined
        ? { snapshotId: CBS_IDS.snapshot.in(`DataDisks.${i}.SnapshotId`, x.SnapshotId) }
        : {}),
      ...(x.DiskName !== undefined ? { name: x.DiskName } : {}),
      description: '',
      multiAttachable: false,
      autoDelete: x.DeleteWithInstance ?? true,
    };
  });
}

/**
 * Tencent's charge types as Kumo's charge: POSTPAID_BY_HOUR is JD's postpaid_by_duration (the
 * default); PREPAID buys Period months (1–9, or 12, 24, 36 as 1–3 years: JD's periods). Tencent's
 * auto-renewal (RenewFlag) is not served: renewal is the admin's (kumo instance renew).
 */
function chargeOf(
  type: string | undefined,
  prepaid: { Period: number; RenewFlag?: string | undefined } | undefined,
): ChargeRequest | undefined {
  if (type === undefined || type === 'POSTPAID_BY_HOUR') {
    if (prepaid)
      throw TencentErrors.invalidParameterValue(
        'InstanceChargePrepaid',
        'only with InstanceChargeType PREPAID',
      );
    return undefined;
  }
  if (type !== 'PREPAID') throw TencentErrors.unsupportedOperation(`InstanceChargeType ${type.slice(0, 32)}`);
  if (!prepaid) throw TencentErrors.missingParameter('InstanceChargePrepaid.Period');
  if (
    prepaid.RenewFlag !== undefined &&
    prepaid.RenewFlag !== 'NOTIFY_AND_MANUAL_RENEW' &&
    prepaid.RenewFlag !== 'DISABLE_NOTIFY_AND_MANUAL_RENEW'
  )
    throw TencentErrors.unsupportedOperation(
      `InstanceChargePrepaid.RenewFlag ${prepaid.RenewFlag.slice(0, 64)}`,
    );
  const n = prepaid.Period;
  if (Number.isInteger(n) && n >= 1 && n <= 9)
    return { mode: 'prepaid_by_duration', unit: 'month', duration: n };
  if (n === 12 || n === 24 || n === 36)
    return { mode: 'prepaid_by_duration', unit: 'year', duration: n / 12 };
  throw TencentErrors.invalidParameterValue('InstanceChargePrepaid.Period', '1 to 9, 12, 24 or 36 (months)');
}

export default defineAction({
  action: 'RunInstances',
  operation: 'createInstances',
  params: z.strictObject({
    Placement: z.strictObject({ Zone: z.string().max(64), ProjectId: z.number().int().optional() }),
    ImageId: z.string().max(64),
    InstanceType: z.string().max(64).optional(),
    InstanceChargeType: z.string().max(32).optional(),
    InstanceChargePrepaid: z
      .strictObject({ Period: z.number().int(), RenewFlag: z.string().max(64).optional() })
      .optional(),
    InstanceCount: z.number().int().optional(),
    InstanceName: z.string().max(128).optional(),
    LoginSettings: z
      .strictObject({
        Password: z.string().max(64).optional(),
        KeyIds: idList.optional(),
        KeepImageLogin: z.string().max(8).optional(),
      })
      .optional(),
    SystemDisk: z
      .strictObject({ DiskType: z.string().max(32).optional(), DiskSize: z.number().int().optional() })
      .optional(),
    DataDisks: z
      .array(
        z.strictObject({
          DiskSize: z.number().int(),
          DiskType: z.string().max(32).optional(),
          DiskId: z.string().max(64).optional(),
          DeleteWithInstance: z.boolean().optional(),
          SnapshotId: z.string().max(128).optional(),
          Encrypt: z.boolean().optional(),
          KmsKeyId: z.string().max(128).optional(),
          ThroughputPerformance: z.number().int().optional(),
          CdcId: z.string().max(64).optional(),
          BurstPerformance: z.boolean().optional(),
          DiskName: z.string().max(128).optional(),
        }),
      )
      .max(20)
      .optional(),
    VirtualPrivateCloud: z
      .strictObject({
        VpcId: z.string().max(64),
        SubnetId: z.string().max(64),
        AsVpcGateway: z.boolean().optional(),
        PrivateIpAddresses: z.array(z.string().max(64)).max(1).optional(),
      })
      .optional(),
    SecurityGroupIds: idList.optional(),
    InternetAccessible: z
      .strictObject({
        InternetChargeType: z.string().max(64).optional(),
        InternetMaxBandwidthOut: z.number().int().optional(),
        PublicIpAssigned: z.boolean().optional(),
      })
      .optional(),
    ClientToken: z.string().max(64).optional(),
    UserData: z.string().max(32768).optional(),
    HostName: z.string().max(64).optional(),
    DryRun: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const count = p.InstanceCount ?? 1;
    if (count < 1 || count > 100)
      throw TencentErrors.invalidParameterValue('InstanceCount', 'between 1 and 100');
    const charge = chargeOf(p.InstanceChargeType, p.InstanceChargePrepaid);
    if (!p.InstanceType) throw TencentErrors.missingParameter('InstanceType');
    const dataDisks = dataDisksOf(p.DataDisks ?? []);
    const subnetId = p.VirtualPrivateCloud?.SubnetId;
    if (!subnetId && (p.VirtualPrivateCloud?.PrivateIpAddresses?.length || p.SecurityGroupIds?.length))
      throw TencentErrors.missingParameter('VirtualPrivateCloud.SubnetId');
    // A public IP is an elastic IP made with the instance and released with it (Tencent's
    // "PublicIpAssigned"), limited to InternetMaxBandwidthOut.
    const bandwidth = p.InternetAccessible?.InternetMaxBandwidthOut ?? 0;
    const publicIp = p.InternetAccessible?.PublicIpAssigned ?? bandwidth > 0;
    const name = p.InstanceName ?? 'Unnamed';
    if (!INSTANCE_NAME.test(name))
      throw TencentErrors.invalidParameterValue('InstanceName', INSTANCE_NAME_RULE);
    const disk = p.SystemDisk?.DiskType ?? 'LOCAL_BASIC';
    const cloud = CLOUD_DISKS.includes(disk);
    if (!cloud && !LOCAL_DISKS.includes(disk)) {
      throw TencentErrors.invalidParameterValue(
        'SystemDisk.DiskType',
        [...LOCAL_DISKS, ...CLOUD_DISKS].join(', '),
      );
    }
    const userdata =
      p.UserData === undefined ? undefined : Buffer.from(p.UserData, 'base64').toString('utf8');
    if (
      p.UserData !== undefined &&
      Buffer.from(userdata!, 'utf8').toString('base64') !== p.UserData.replace(/\s/g, '')
    ) {
      throw TencentErrors.invalidParameterValue('UserData', 'must be base64');
    }
    const login = p.LoginSettings ?? {};
    const keyNames = (login.KeyIds ?? []).map(keyNameOf);
    if (p.DryRun) throw TencentErrors.dryRun();
    const r = await ctx.services.instances.create(scopeOf(ctx), callerOf(ctx), {
      name,
      az: p.Placement.Zone,
      instanceType: p.InstanceType,
      imageId: p.ImageId,
      networkInterface: subnetId
        ? {
            subnetId,
            primaryIpAddress: p.VirtualPrivateCloud?.PrivateIpAddresses?.[0],
            securityGroups: p.SecurityGroupIds,
          }
        : undefined,
      elasticIp: publicIp ? { bandwidthMbps: Math.max(bandwidth, 1), provider: 'bgp' } : undefined,
      keyNames,
      // Tencent mails a random password when neither is given; Kumo has no mail, so without a
      // password or key the guest gets an unguessable one (the VNC console still reaches it).
      ...(login.Password !== undefined
        ? { password: login.Password }
        : keyNames.length === 0
          ? { password: `Kc1-${randomBytes(12).toString('base64url')}` }
          : {}),
      ...(p.HostName !== undefined ? { hostname: p.HostName } : {}),
      description: '',
      diskCategory: cloud ? 'cloud' : 'local',
      ...(cloud && DISK_TYPE_OF[disk] !== undefined ? { systemDiskType: DISK_TYPE_OF[disk] } : {}),
      ...(cloud && p.SystemDisk?.DiskSize !== undefined ? { diskSizeGB: p.SystemDisk.DiskSize } : {}),
      dataDisks,
      ...(charge ? { charge } : {}),
      ...(userdata !== undefined ? { userdata } : {}),
      maxCount: count,
      ...(p.ClientToken !== undefined ? { clientToken: p.ClientToken } : {}),
    });
    return { InstanceIdSet: r.instanceIds.map(cvmInstanceId) };
  },
});
