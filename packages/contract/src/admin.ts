// Wire shapes and request schemas of Kumo's admin API (/admin/v1: hosts, accounts, image import
// and pre-pull, the action log). No behaviour.
import { z } from 'zod';
import { LIBVIRT_URI, REGION_ID } from './common.js';

/** addHost body. */
export const addHostBody = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  uri: z.string().regex(LIBVIRT_URI).max(512),
  regionId: z.string().regex(REGION_ID),
  az: z.string().max(40),
  poolPath: z.string().regex(/^\/[A-Za-z0-9._/-]{1,255}$/),
  accelerator: z.enum(['kvm', 'qemu', 'probe']).default('probe'),
  cpuRatio: z.number().positive().max(64).default(4),
  memoryRatio: z.number().positive().max(4).default(1),
  diskRatio: z.number().positive().max(64).default(4),
  /** The host's OVN chassis name (ovn-controller's system-id): its instances' ports bind only there. */
  chassis: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
    .optional(),
});
/** addHost body as a client sends it (defaults may be left out). */
export type AddHostRequest = z.input<typeof addHostBody>;
/** addHost body once validated (defaults filled in). */
export type AddHostParams = z.output<typeof addHostBody>;

/** One kind of host capacity: usable = floor(total × ratio). */
export interface HostCapacity {
  total: number;
  used: number;
  ratio: number;
  usable: number;
}

/** A host on the admin API. */
export interface Host {
  hostId: string;
  name: string;
  uri: string;
  /** The OVN chassis its instances' ports are bound to; "" when not given. */
  chassis: string;
  regionId: string;
  az: string;
  accelerator: 'kvm' | 'qemu' | 'probe';
  enabled: boolean;
  health: 'up' | 'down' | 'unknown';
  healthReason: string;
  /** "YYYY-MM-DD HH:mm:ss", or "" before the first answer. */
  lastSeenTime: string;
  nestedVirt: boolean;
  capacity: { vcpus: HostCapacity; memoryMB: HostCapacity; diskGB: HostCapacity };
  createTime: string;
  /** What is weak about how kumod reaches the host (plaintext TCP, no_verify); empty when nothing. */
  warnings: string[];
}

/** createAccount body. */
export const createAccountBody = z.object({ name: z.string().max(256) });
/** createAccount body. */
export type CreateAccountRequest = z.input<typeof createAccountBody>;

/** An account on the admin API (never its secrets). */
export interface AccountSummary {
  accountId: string;
  name: string;
  admin: boolean;
  createTime: string;
}

/** importImage body: a manifest.json on the kumod machine. */
export const importImageBody = z.object({
  manifestPath: z.string().max(1024),
  regionId: z.string().regex(REGION_ID),
  name: z.string().max(64).optional(),
  description: z.string().max(256).optional(),
  constraint: z
    .object({ kind: z.enum(['includes', 'excludes']), instanceTypes: z.array(z.string().max(64)).max(100) })
    .optional(),
});
/** importImage body. */
export type ImportImageRequest = z.input<typeof importImageBody>;

/** prepullImage body: the hosts to upload to (default: every usable host of the region). */
export const prepullImageBody = z.object({ hostIds: z.array(z.string().max(64)).max(1000).optional() });
/** prepullImage body. */
export type PrepullImageRequest = z.input<typeof prepullImageBody>;

/** One entry of describeInstanceEvents. */
export interface InstanceEvent {
  action: string;
  requestedBy: string;
  requestId: string;
  requestTime: string;
  outcome: string;
  detail: string;
  finishTime: string;
}

/** Admin resetInstanceState: the status to set (the reconciler corrects it from the host later). */
export const resetInstanceStateBody = z.object({
  status: z.enum(['error', 'stopped', 'running']).optional(),
});
export type ResetInstanceStateRequest = z.input<typeof resetInstanceStateBody>;

/** Admin renewInstance: the prepaid period to add (JD's chargeUnit and chargeDuration). */
export const renewInstanceBody = z.object({
  chargeUnit: z.string().max(16).optional(),
  chargeDuration: z.number().int().optional(),
});
/** The body of renewInstance. */
export type RenewInstanceRequest = z.input<typeof renewInstanceBody>;

/** Admin evacuateInstance body: the host to bring the instance up on (default: the scheduler's pick). */
export const evacuateInstanceBody = z.object({ hostId: z.string().max(64).optional() });
/** Admin evacuateInstance body. */
export type EvacuateInstanceRequest = z.input<typeof evacuateInstanceBody>;
