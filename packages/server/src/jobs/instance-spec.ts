// Builds the hypervisor's InstanceSpec (and the image files to upload) from inventory rows.
import type { ImageFiles, InstanceSpec } from '@kumo/hypervisor';
import type { ImageRecord, InstanceRecord } from '@kumo/store';
import { imageFiles } from '../services/images.js';
import type { JobContext } from './context.js';

/** The spec and the image files for an instance on a given image, with its current keys. */
export async function buildSpec(
  ctx: JobContext,
  inst: InstanceRecord,
  image: ImageRecord,
  overrides: { keyNames?: string[]; passwordHash?: string | null } = {},
): Promise<{ spec: InstanceSpec; files: ImageFiles }> {
  const subnet = await ctx.subnets.find(inst.regionId, inst.subnetId);
  if (!subnet) throw new Error(`subnet ${inst.subnetId} of ${inst.id} is missing`);
  const scope = { accountId: inst.accountId, regionId: inst.regionId };
  const keys: string[] = [];
  for (const name of overrides.keyNames ?? inst.keyNames) {
    // A keypair deleted since the request simply no longer reaches the guest.
    const k = await ctx.keypairs.find(scope, name);
    if (k) keys.push(k.publicKey);
  }
  const passwordHash = overrides.passwordHash === undefined ? inst.passwordHash : overrides.passwordHash;
  const { manifest, files } = imageFiles(image);
  return {
    files,
    spec: {
      id: inst.id,
      hostname: inst.hostname,
      image: manifest,
      type: { vcpus: inst.vcpus, memoryMiB: inst.memoryMB, nested: inst.nestedVirt },
      rootDiskBytes: inst.systemDiskGB * 2 ** 30,
      nic: {
        network: subnet.id,
        mac: inst.mac,
        ip: inst.privateIp,
        prefix: subnet.prefix,
        gateway: subnet.gateway,
        dns: [subnet.gateway],
      },
      login: { authorizedKeys: keys, ...(passwordHash ? { passwordHash } : {}) },
      ...(inst.userdata ? { userData: inst.userdata } : {}),
    },
  };
}

/** The libvirt network of an instance's subnet, created on the host if absent. */
export async function networkSpecFor(ctx: JobContext, inst: InstanceRecord) {
  const subnet = await ctx.subnets.find(inst.regionId, inst.subnetId);
  if (!subnet) throw new Error(`subnet ${inst.subnetId} of ${inst.id} is missing`);
  const base = subnet.cidr.split('.').slice(0, 3).join('.');
  return {
    name: subnet.id,
    mode: 'nat' as const,
    gateway: subnet.gateway,
    prefix: subnet.prefix,
    // Addresses .10–.250 are assigned statically by Kumo's IPAM; DHCP only serves strays above.
    dhcpRange: { start: `${base}.251`, end: `${base}.254` },
  };
}
