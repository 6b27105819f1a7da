// The services a route may call, as one type. They are built by the composition root
// (../wiring.ts); this module builds nothing.
import type { RequestGuardsModel } from '@kumo/store';
import type { Authenticator } from '../auth/authenticate.js';
import type { Tc2Authenticator } from '../auth/tc2.js';
import type { Tc3Authenticator } from '../auth/tc3.js';
import type { AccessKeyService } from './access-keys.js';
import type { AccountService } from './accounts.js';
import type { AuditService } from './audit.js';
import type { InstanceAdminService } from './instance-admin.js';
import type { InstanceEvacuationService } from './instance-evacuation.js';
import type { ConsoleService } from './consoles.js';
import type { DiskService } from './disks.js';
import type { DiskAttachmentService } from './disk-attachments.js';
import type { StorageBackendService } from './storage-backends.js';
import type { HostService } from './hosts.js';
import type { ImageExportService } from './image-export.js';
import type { ImageImportService } from './image-import.js';
import type { ImageCreationService } from './image-creation.js';
import type { ImageSharingService } from './image-sharing.js';
import type { ImageService } from './images.js';
import type { InstanceService } from './instances.js';
import type { InstanceTypeService } from './instance-types.js';
import type { KeypairService } from './keypairs.js';
import type { ElasticIpService } from './elastic-ips.js';
import type { ExternalNetworkService } from './external-networks.js';
import type { NetworkInterfaceService } from './network-interfaces.js';
import type { NetworkPlaneService } from './network-plane.js';
import type { NicAttachmentService } from './nic-attachments.js';
import type { QuotaService } from './quotas.js';
import type { SecurityGroupService } from './security-groups.js';
import type { VpcQuotaService } from './vpc-quota.js';
import type { UsageService } from './usage.js';
import type { InstanceChargeService } from './instance-charges.js';
import type { ChargePolicy } from '../billing/charges.js';
import type { VpcService } from './vpcs.js';

/** Every service a route may call. */
export interface Services {
  accounts: AccountService;
  accessKeys: AccessKeyService;
  audit: AuditService;
  usage: UsageService;
  instanceCharges: InstanceChargeService;
  /** Charge status and refusals, for the views. */
  chargePolicy: ChargePolicy;
  instanceAdmin: InstanceAdminService;
  instanceEvacuation: InstanceEvacuationService;
  keypairs: KeypairService;
  instanceTypes: InstanceTypeService;
  quotas: QuotaService;
  hosts: HostService;
  images: ImageService;
  imageCreation: ImageCreationService;
  imageImport: ImageImportService;
  imageExport: ImageExportService;
  imageSharing: ImageSharingService;
  instances: InstanceService;
  vpcs: VpcService;
  securityGroups: SecurityGroupService;
  networkInterfaces: NetworkInterfaceService;
  networkPlane: NetworkPlaneService;
  elasticIps: ElasticIpService;
  externalNetworks: ExternalNetworkService;
  vpcQuota: VpcQuotaService;
  consoles: ConsoleService;
  disks: DiskService;
  diskAttachments: DiskAttachmentService;
  nicAttachments: NicAttachmentService;
  storageBackends: StorageBackendService;
  authenticator: Authenticator;
  /** The Tencent CVM API 3.0 signature checks, over the same keys and budgets. */
  tc3: Tc3Authenticator;
  /** The Tencent CVM API 2.0 signature checks, over the same keys and budgets. */
  tc2: Tc2Authenticator;
  guards: RequestGuardsModel;
}
