// Builds the hypervisor's InstanceSpec (and the image files to upload) from inventory records: the
// NIC is the primary interface's port on the integration bridge. Pure translation; the reads go
// through the task context.
import type { ImageFiles, InstanceSpec } from '@kumo/hypervisor';
import type { ImageRecord, InstanceRecord, SubnetRecord } from '@kumo/store';
import { imageFiles } from '../compute/image-files.js';
import { memoryMiBFromMB } from '../compute/units.js';
import type { HostDriver } from '../drivers/host-driver.js';
import type { TaskContext } from './context.js';
import { OVERLAY_MTU } from './network-converger.js';

async function subnetOf(ctx: TaskContext, inst: InstanceRecord): Promise<SubnetRecord> {
  const subnet = await ctx.inventory.subnet(inst.regionId, inst.subnetId);
  if (!subnet) throw new Error(`subnet ${inst.subnetId} of ${inst.id} is missing`);
  return subnet;
}

/** The image an instance task needs, or an error saying it is gone. */
export async function imageOf(ctx: TaskContext, imageId: string): Promise<ImageRecord> {
  const image = await ctx.inventory.image(imageId);
  if (!image) throw new Error(`image ${imageId} no longer exists`);
  return image;
}

/** The spec and the image files for an instance on a given image, with its current keys. */
export async function buildSpec(
  ctx: TaskContext,
  inst: InstanceRecord,
  image: ImageRecord,
  overrides: { keyNames?: string[]; passwordHash?: string | null } = {},
): Promise<{ spec: InstanceSpec; files: ImageFiles }> {
  const subnet = await subnetOf(ctx, inst);
  const [primary] = await ctx.network.interfaces(inst.id);
  // Instances of the NAT era move onto the plane (adopt-network) before any spec is built.
  if (!primary) throw new Error(`instance ${inst.id} has no network interface`);
  // A keypair deleted since the request simply no longer reaches the guest.
  const keys = await ctx.inventory.publicKeys(
    { accountId: inst.accountId, regionId: inst.regionId },
    overrides.keyNames ?? inst.keyNames,
  );
  const passwordHash = overrides.passwordHash === undefined ? inst.passwordHash : overrides.passwordHash;
  const { manifest, files } = await imageFiles(image, ctx.imageStore);
  const rootXml = await ctx.disks.rootDiskXml(inst.id, inst.hostId);
  return {
    files,
    spec: {
      id: inst.id,
      hostname: inst.hostname,
      image: manifest,
      type: { vcpus: inst.vcpus, memoryMiB: memoryMiBFromMB(inst.memoryMB), nested: inst.nestedVirt },
      rootDiskBytes: inst.systemDiskGB * 2 ** 30,
      ...(rootXml !== undefined ? { cloudRoot: { diskXml: rootXml } } : {}),
      nic: {
        network: subnet.id,
        mac: inst.mac,
        ip: inst.privateIp,
        prefix: subnet.prefix,
        gateway: subnet.gateway,
        dns: [subnet.gateway],
        ovn: { bridge: ctx.network.bridge, interfaceId: primary.interfaceId },
        mtu: OVERLAY_MTU,
      },
      login: { authorizedKeys: keys, ...(passwordHash ? { passwordHash } : {}) },
      vncPassword: ctx.vncPassword(inst.id),
      ...(inst.userdata ? { userData: inst.userdata } : {}),
    },
  };
}

/** Runs `fn` on the instance's host; an instance on no host is a bug in the caller. */
export function onHost<T>(
  ctx: TaskContext,
  inst: InstanceRecord,
  fn: (h: HostDriver) => Promise<T>,
): Promise<T> {
  if (!inst.hostId) throw new Error(`instance ${inst.id} is on no host`);
  return ctx.hosts.with(inst.hostId, fn);
}
