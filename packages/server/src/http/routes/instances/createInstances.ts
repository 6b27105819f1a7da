// createInstances: POST /v1/regions/{regionId}/instances — the body is validated by the contract's
// schema, the rules that span fields here; the service places, writes and queues.
import {
  CLOUD_DISK_TYPES,
  createInstancesBody,
  Errors,
  HOSTNAME_LABEL,
  INSTANCE_NAME,
  INSTANCE_NAME_RULE,
  IPV4,
  type InstanceSpec,
} from '@kumo/contract';
import type { z } from 'zod';
import { parseChargeSpec, requirePostpaid } from '../../../billing/charges.js';
import type { DataDiskRequest } from '../../../services/instance-requests.js';
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

type Spec = z.output<typeof createInstancesBody>['instanceSpec'];

/** JD sends user data as [{key: 'launch-script', value: base64}]; a plain string is taken as is. */
function userdataOf(u: InstanceSpec['userdata']): string | undefined {
  if (u === undefined) return undefined;
  let text: string;
  if (typeof u === 'string') text = u;
  else {
    const script = u.find((e) => e.key === 'launch-script') ?? u[0];
    if (!script) return undefined;
    text = Buffer.from(script.value, 'base64').toString('utf8');
  }
  // One limit for both forms, in bytes (what the seed holds), not characters.
  if (Buffer.byteLength(text) > USERDATA_MAX_BYTES) throw Errors.outOfRange('InstanceSpec.Userdata');
  return text;
}

const USERDATA_MAX_BYTES = 16384;

/**
 * The system disk: local by default (JD's spec). For a local disk the cloud-disk fields do not
 * apply and are ignored (JD's Terraform provider sends an empty `cloudDiskSpec`); a cloud disk
 * needs a known disk type and a size.
 */
export function systemDiskOf(disk: Spec['systemDisk']): {
  diskCategory: 'local' | 'cloud';
  diskSizeGB?: number;
  systemDiskType?: string;
} {
  if (!disk || (disk.diskCategory ?? 'local') === 'local') return { diskCategory: 'local' };
  const spec = disk.cloudDiskSpec;
  const at = 'instanceSpec.systemDisk.cloudDiskSpec';
  if (!spec) throw Errors.missingParameter('InstanceSpec.SystemDisk.CloudDiskSpec');
  if (spec.diskType === undefined || spec.diskType === '') throw Errors.missingParameter(`${at}.diskType`);
  if (!(CLOUD_DISK_TYPES as readonly string[]).includes(spec.diskType)) {
    throw Errors.invalidParameter(`${at}.diskType`, `must be one of ${CLOUD_DISK_TYPES.join(', ')}`);
  }
  if (spec.diskSizeGB === undefined) throw Errors.missingParameter(`${at}.diskSizeGB`);
  return { diskCategory: 'cloud', diskSizeGB: spec.diskSizeGB, systemDiskType: spec.diskType };
}

/**
 * The cloud data disks. JD's category defaults to `local`; a spec with a cloudDiskSpec and no
 * category is taken as cloud (what the user plainly meant). Entries with `noDevice` are skipped.
 */
export function dataDisksOf(disks: Spec['dataDisks'], az: string): DataDiskRequest[] {
  return (disks ?? [])
    .filter((x) => x.noDevice !== true)
    .map((x, i) => {
      const at = `InstanceSpec.DataDisks[${i}]`;
      const spec = x.cloudDiskSpec;
      if ((x.diskCategory ?? (spec ? 'cloud' : 'local')) === 'local')
        throw Errors.unsupported('Local data disks (give diskCategory cloud)');
      if (!spec) throw Errors.missingParameter(`${at}.CloudDiskSpec`);
      if (spec.diskType === undefined || spec.diskType === '')
        throw Errors.missingParameter(`${at}.CloudDiskSpec.DiskType`);
      if (spec.diskSizeGB === undefined) throw Errors.missingParameter(`${at}.CloudDiskSpec.DiskSizeGB`);
      requirePostpaid(spec.charge, `${at}.CloudDiskSpec.Charge`);
      if (spec.az !== undefined && spec.az !== '' && spec.az !== az)
        throw Errors.invalidParameter(`${at}.CloudDiskSpec.Az`, `must be the instance's AZ '${az}'`);
      return {
        diskType: spec.diskType,
        diskSizeGB: spec.diskSizeGB,
        ...(spec.snapshotId ? { snapshotId: spec.snapshotId } : {}),
        ...(spec.name !== undefined ? { name: spec.name } : {}),
        description: spec.description ?? '',
        multiAttachable: spec.multiAttachable ?? false,
        // JD: a data disk made with the instance goes with it unless told otherwise.
        autoDelete: x.autoDelete ?? true,
        ...(x.deviceName !== undefined ? { deviceName: x.deviceName } : {}),
      };
    });
}

export default defineRoute({
  operation: 'createInstances',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances',
  body: createInstancesBody,
  errors: [
    'outOfRange',
    'missingParameter',
    'invalidParameter',
    'unsupported',
    'instanceTypeNotFound',
    'imageNotFound',
    'imageNotReady',
    'imageConstraint',
    'imageDiskTooSmall',
    'azNotFound',
    'subnetNotFound',
    'keypairNotFound',
    'invalidPassword',
    'quotaExceeded',
    'noCapacity',
    'ipInUse',
    'noFreeIp',
    'securityGroupNotFound',
    'securityGroupOfOtherVpc',
    'tooManySecurityGroups',
    'ipOutsideSubnet',
    'eipPoolExhausted',
    'noStorageBackend',
    'storageFull',
    'diskSizeOutOfRange',
    'snapshotNotFound',
    'invalidSnapshotStatus',
  ],
  handle: (ctx) => {
    const s = ctx.body.instanceSpec;
    const maxCount = ctx.body.maxCount ?? 1;
    if (maxCount < 1 || maxCount > 100) throw Errors.outOfRange('Maxcount');
    if (!INSTANCE_NAME.test(s.name)) throw Errors.invalidParameter('InstanceSpec.Name', INSTANCE_NAME_RULE);
    if (s.hostname !== undefined && !HOSTNAME_LABEL.test(s.hostname))
      throw Errors.invalidParameter('InstanceSpec.Hostname');
    if (s.agId || s.instanceTemplateId)
      throw Errors.unsupported('Availability groups and instance templates');
    const charge = parseChargeSpec(s.charge, 'InstanceSpec.Charge');
    const nic = s.primaryNetworkInterface?.networkInterface;
    if (nic?.primaryIpAddress !== undefined && !IPV4.test(nic.primaryIpAddress)) {
      throw Errors.invalidParameter('PrimaryIpAddress');
    }
    if (s.elasticIp) requirePostpaid(s.elasticIp.chargeSpec, 'InstanceSpec.ElasticIp.ChargeSpec');
    const disk = systemDiskOf(s.systemDisk);
    return ctx.services.instances.create(scopeOf(ctx), callerOf(ctx), {
      name: s.name,
      az: s.az,
      instanceType: s.instanceType,
      imageId: s.imageId,
      networkInterface: nic && {
        subnetId: nic.subnetId,
        name: nic.networkInterfaceName,
        description: nic.description,
        primaryIpAddress: nic.primaryIpAddress,
        secondaryIpAddresses: nic.secondaryIpAddresses,
        secondaryIpCount: nic.secondaryIpCount,
        securityGroups: nic.securityGroups,
      },
      elasticIp: s.elasticIp && {
        bandwidthMbps: s.elasticIp.bandwidthMbps ?? 1,
        provider: s.elasticIp.provider ?? 'bgp',
      },
      keyNames: s.keyNames ?? [],
      password: s.password,
      hostname: s.hostname,
      description: s.description ?? '',
      diskCategory: disk.diskCategory,
      diskSizeGB: disk.diskSizeGB,
      ...(disk.systemDiskType !== undefined ? { systemDiskType: disk.systemDiskType } : {}),
      dataDisks: dataDisksOf(s.dataDisks, s.az),
      userdata: userdataOf(s.userdata),
      maxCount,
      clientToken: ctx.body.clientToken,
      charge,
    });
  },
});
