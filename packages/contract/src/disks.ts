// Wire shape of a cloud disk as instances and images show it; the disk operations come with the
// storage plane. No behaviour.
import type { Charge } from './instances.js';

/** A cloud disk. */
export interface Disk {
  diskId: string;
  az: string;
  name: string;
  description: string;
  diskType: string;
  diskSizeGB: number;
  status: string;
  attachments?: { instanceId: string; instanceType?: string; attachTime?: string; status?: string }[];
  snapshotId?: string;
  /** A boolean in JD's published Disk model (its Go SDK and Terraform provider decode it so). */
  multiAttachable?: boolean;
  encrypted?: boolean;
  createTime: string;
  charge?: Charge;
  tags?: { key: string; value: string }[];
}
