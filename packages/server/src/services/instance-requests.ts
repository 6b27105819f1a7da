// What instance operations take: a validated createInstances request, the caller for the action
// log, and the network plane's part of creation. Types only; the policy is instances.ts'.
import type { NetworkInterfaceRecord, Scope, Transaction, Account } from '@kumo/store';
import type { ChargeRequest } from '../billing/charges.js';
import type { InterfaceSpec } from './network-interfaces.js';

/** A validated createInstances request. */
export interface CreateRequest {
  name: string;
  az: string;
  instanceType: string;
  imageId: string;
  /** The primary interface; absent: one in the account's default subnet of the AZ. */
  networkInterface?: InterfaceSpec | undefined;
  /** An elastic IP created with the instance (and released with it). */
  elasticIp?: { bandwidthMbps: number; provider: string } | undefined;
  keyNames: string[];
  password?: string;
  hostname?: string;
  description: string;
  diskCategory: 'local' | 'cloud';
  diskSizeGB?: number;
  userdata?: string;
  maxCount: number;
  clientToken?: string;
  /** JD's ChargeSpec, validated; absent: postpaid_by_duration. */
  charge?: ChargeRequest;
}

/** What instance creation needs of the network plane's services (all in the caller's transaction). */
export interface InstanceNetwork {
  /** Resolves the spec (or the AZ's default subnet) and writes the instance's primary interface. */
  primaryInterface(
    trx: Transaction,
    scope: Scope,
    instanceId: string,
    spec: InterfaceSpec | { az: string },
  ): Promise<NetworkInterfaceRecord>;
  /** Allocates an elastic IP owned by the instance and binds it to the interface's primary address. */
  elasticIpFor(
    trx: Transaction,
    scope: Scope,
    instanceId: string,
    nic: NetworkInterfaceRecord,
    spec: { bandwidthMbps: number; provider: string },
  ): Promise<void>;
  /** Starts convergence (after the commit). */
  kick(): void;
}

/** Who asked, for the action log. */
export interface Caller {
  account: Account;
  accessKey: string;
  requestId: string;
}
