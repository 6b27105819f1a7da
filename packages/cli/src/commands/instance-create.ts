// `kumo instance create`: builds the createInstances body from options (pure, unit-tested), finds the
// AZ's default subnet when none is named, prints the new ids and optionally waits for `running`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CreateInstancesRequest } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import { renderJson } from '../format.js';
import { waitWithProgress } from '../instance-poll.js';
import { oneOf, positiveInt, withWait, type WaitFlags } from '../options.js';

/** The options of `instance create`. */
export interface CreateFlags extends WaitFlags {
  name: string;
  az: string;
  type: string;
  image: string;
  key?: string;
  password?: string;
  hostname?: string;
  description?: string;
  subnet?: string;
  /** An elastic IP with this bandwidth (Mbps), created and released with the instance. */
  elasticIp?: number;
  count: number;
  clientToken?: string;
  diskCategory: 'local' | 'cloud';
  diskSize?: number;
  diskType: 'ssd' | 'premium-hdd';
}

/** The createInstances body; `userdata` is the launch script's text (JD sends it base64 under `launch-script`). */
export function buildCreateRequest(
  f: CreateFlags,
  subnetId: string,
  userdata?: string,
): CreateInstancesRequest {
  if (f.diskSize !== undefined && f.diskCategory !== 'cloud') {
    throw new UsageError('--disk-size needs --disk-category cloud (local system disks have a fixed size)');
  }
  if (f.diskCategory === 'cloud' && f.diskSize === undefined) {
    throw new UsageError('--disk-category cloud needs --disk-size');
  }
  return {
    instanceSpec: {
      name: f.name,
      az: f.az,
      instanceType: f.type,
      imageId: f.image,
      ...(f.hostname !== undefined && { hostname: f.hostname }),
      ...(f.password !== undefined && { password: f.password }),
      ...(f.key !== undefined && { keyNames: [f.key] }),
      ...(f.description !== undefined && { description: f.description }),
      primaryNetworkInterface: { networkInterface: { subnetId } },
      ...(f.elasticIp !== undefined && { elasticIp: { bandwidthMbps: f.elasticIp, provider: 'bgp' } }),
      systemDisk:
        f.diskCategory === 'cloud'
          ? { diskCategory: 'cloud', cloudDiskSpec: { diskType: f.diskType, diskSizeGB: f.diskSize } }
          : { diskCategory: 'local' },
      ...(userdata !== undefined && {
        userdata: [{ key: 'launch-script', value: Buffer.from(userdata).toString('base64') }],
      }),
    },
    maxCount: f.count,
    ...(f.clientToken !== undefined && { clientToken: f.clientToken }),
  };
}

/** Registers `instance create` on the instance group. */
export function registerInstanceCreate(group: Command, contextFor: ContextFor): void {
  withWait(
    group
      .command('create')
      .description('Create instances; prints their ids')
      .requiredOption('--name <name>', 'instance name (1-32 letters, digits, Chinese characters, _ or -)')
      .requiredOption('--az <az>', 'availability zone')
      .requiredOption('--type <instanceType>', 'instance type (see `kumo instance-type list`)')
      .requiredOption('--image <imageId>', 'image id (see `kumo image list`)')
      .option('--key <keyName>', 'key pair whose public key is installed for login')
      .option('--password <password>', 'login password')
      .option('--hostname <hostname>', 'guest hostname (default: the name)')
      .option('--description <text>', 'description')
      .option('--subnet <subnetId>', "subnet (default: the AZ's default subnet)")
      .option(
        '--elastic-ip <Mbps>',
        'an elastic IP with this bandwidth, released with the instance (`kumo instance ssh` uses it)',
        positiveInt,
      )
      .option('--count <n>', 'how many instances', positiveInt, 1)
      .option('--client-token <token>', 'idempotency token: a repeated create returns the same ids')
      .option('--userdata-file <file>', 'launch script run at first boot')
      .option('--disk-category <category>', 'system disk: local or cloud', oneOf('local', 'cloud'), 'local')
      .option('--disk-size <GB>', 'cloud system disk size in GB', positiveInt)
      .option(
        '--disk-type <type>',
        'cloud disk type: ssd or premium-hdd',
        oneOf('ssd', 'premium-hdd'),
        'ssd',
      ),
    'every instance is running and its SSH server answers',
  ).action(async (f: CreateFlags & { userdataFile?: string }, cmd: Command) => {
    const ctx = contextFor(cmd);
    const output = ctx.output;
    let userdata: string | undefined;
    if (f.userdataFile !== undefined) {
      try {
        userdata = readFileSync(f.userdataFile, 'utf8');
      } catch (e) {
        throw new UsageError(`Cannot read ${f.userdataFile}: ${(e as Error).message}`);
      }
    }
    buildCreateRequest(f, '', userdata); // usage errors before any request
    const client = ctx.getClient();
    let subnetId = f.subnet;
    if (subnetId === undefined) {
      const { subnets } = await client.request<{ subnets: { subnetId: string; az: string }[] }>(
        'GET',
        `/v1/regions/${encodeURIComponent(client.regionId)}/subnets`,
      );
      // An AZ without a subnet has no hosts; createInstances then says why (unknown AZ), so the
      // request still goes out with an empty subnet rather than a guess made here.
      subnetId = subnets.find((s) => s.az === f.az)?.subnetId ?? '';
    }
    const { instanceIds } = await client.createInstances(buildCreateRequest(f, subnetId, userdata));
    ctx.print(output === 'json' ? renderJson({ instanceIds }) : instanceIds.join('\n') + '\n');
    if (f.wait) await waitWithProgress(ctx, instanceIds, 'running', f.timeout);
  });
}
