// Every route of the API, one file per operation.
import type { Route } from '../route.js';
import createKeypair from './keypairs/createKeypair.js';
import deleteKeypair from './keypairs/deleteKeypair.js';
import describeKeypairs from './keypairs/describeKeypairs.js';
import importKeypair from './keypairs/importKeypair.js';
import describeInstanceTypes from './catalogue/describeInstanceTypes.js';
import describeQuotas from './catalogue/describeQuotas.js';
import createImage from './instances/createImage.js';
import createInstances from './instances/createInstances.js';
import deleteInstance from './instances/deleteInstance.js';
import describeInstance from './instances/describeInstance.js';
import describeInstancePrivateIpAddress from './instances/describeInstancePrivateIpAddress.js';
import describeInstanceStatus from './instances/describeInstanceStatus.js';
import describeInstances from './instances/describeInstances.js';
import describeInstanceVncUrl from './instances/describeInstanceVncUrl.js';
import describeInstanceConsoleLog from './instances/describeInstanceConsoleLog.js';
import describeInstanceSerialConsoleUrl from './instances/describeInstanceSerialConsoleUrl.js';
import modifyInstanceAttribute from './instances/modifyInstanceAttribute.js';
import modifyInstancePassword from './instances/modifyInstancePassword.js';
import rebootInstance from './instances/rebootInstance.js';
import associateInstanceElasticIp from './instances/associateElasticIp.js';
import attachNetworkInterface from './instances/attachNetworkInterface.js';
import detachNetworkInterface from './instances/detachNetworkInterface.js';
import modifyInstanceNetworkAttribute from './instances/modifyInstanceNetworkAttribute.js';
import disassociateInstanceElasticIp from './instances/disassociateElasticIp.js';
import rebuildInstance from './instances/rebuildInstance.js';
import resizeInstance from './instances/resizeInstance.js';
import startInstance from './instances/startInstance.js';
import stopInstance from './instances/stopInstance.js';
import copyImages from './images/copyImages.js';
import imageTasks from './images/imageTasks.js';
import exportImage from './images/exportImage.js';
import importImage from './images/importImage.js';
import deleteImage from './images/deleteImage.js';
import describeImageMembers from './images/describeImageMembers.js';
import shareImage from './images/shareImage.js';
import unShareImage from './images/unShareImage.js';
import describeImage from './images/describeImage.js';
import describeImageConstraints from './images/describeImageConstraints.js';
import describeImageConstraintsBatch from './images/describeImageConstraintsBatch.js';
import describeImages from './images/describeImages.js';
import modifyImageAttribute from './images/modifyImageAttribute.js';
import createAccessKey from './access-keys/createAccessKey.js';
import describeAccessKeys from './access-keys/describeAccessKeys.js';
import disableAccessKey from './access-keys/disableAccessKey.js';
import enableAccessKey from './access-keys/enableAccessKey.js';
import deleteAccessKey from './access-keys/deleteAccessKey.js';
import adminCreateAccessKey from './access-keys/adminCreateAccessKey.js';
import adminDescribeAccessKeys from './access-keys/adminDescribeAccessKeys.js';
import adminDisableAccessKey from './access-keys/adminDisableAccessKey.js';
import adminEnableAccessKey from './access-keys/adminEnableAccessKey.js';
import adminDeleteAccessKey from './access-keys/adminDeleteAccessKey.js';
import describeAuditLog from './audit/describeAuditLog.js';
import adminDescribeAuditLog from './admin/describeAuditLog.js';
import describeUsage from './usage/describeUsage.js';
import adminDescribeUsage from './admin/describeUsage.js';
import adminDescribeUsageRecords from './admin/describeUsageRecords.js';
import createVpc from './vpc/createVpc.js';
import describeVpcs from './vpc/describeVpcs.js';
import describeVpc from './vpc/describeVpc.js';
import modifyVpc from './vpc/modifyVpc.js';
import deleteVpc from './vpc/deleteVpc.js';
import createSubnet from './vpc/createSubnet.js';
import describeSubnets from './vpc/describeSubnets.js';
import describeSubnet from './vpc/describeSubnet.js';
import modifySubnet from './vpc/modifySubnet.js';
import deleteSubnet from './vpc/deleteSubnet.js';
import createNetworkSecurityGroup from './vpc/createNetworkSecurityGroup.js';
import describeNetworkSecurityGroups from './vpc/describeNetworkSecurityGroups.js';
import describeNetworkSecurityGroup from './vpc/describeNetworkSecurityGroup.js';
import modifyNetworkSecurityGroup from './vpc/modifyNetworkSecurityGroup.js';
import deleteNetworkSecurityGroup from './vpc/deleteNetworkSecurityGroup.js';
import addNetworkSecurityGroupRules from './vpc/addNetworkSecurityGroupRules.js';
import removeNetworkSecurityGroupRules from './vpc/removeNetworkSecurityGroupRules.js';
import modifyNetworkSecurityGroupRules from './vpc/modifyNetworkSecurityGroupRules.js';
import createNetworkInterface from './vpc/createNetworkInterface.js';
import describeNetworkInterfaces from './vpc/describeNetworkInterfaces.js';
import describeNetworkInterface from './vpc/describeNetworkInterface.js';
import modifyNetworkInterface from './vpc/modifyNetworkInterface.js';
import deleteNetworkInterface from './vpc/deleteNetworkInterface.js';
import assignSecondaryIps from './vpc/assignSecondaryIps.js';
import unassignSecondaryIps from './vpc/unassignSecondaryIps.js';
import createElasticIps from './vpc/createElasticIps.js';
import describeElasticIps from './vpc/describeElasticIps.js';
import describeElasticIp from './vpc/describeElasticIp.js';
import modifyElasticIp from './vpc/modifyElasticIp.js';
import deleteElasticIp from './vpc/deleteElasticIp.js';
import associateElasticIp from './vpc/associateElasticIp.js';
import disassociateElasticIp from './vpc/disassociateElasticIp.js';
import createExternalNetwork from './admin/createExternalNetwork.js';
import describeExternalNetworks from './admin/describeExternalNetworks.js';
import deleteExternalNetwork from './admin/deleteExternalNetwork.js';
import createEipPool from './admin/createEipPool.js';
import describeEipPools from './admin/describeEipPools.js';
import deleteEipPool from './admin/deleteEipPool.js';
import describeVpcQuota from './vpc/describeVpcQuota.js';
import addHost from './admin/addHost.js';
import createAccount from './admin/createAccount.js';
import describeAccounts from './admin/describeAccounts.js';
import describeHost from './admin/describeHost.js';
import describeHosts from './admin/describeHosts.js';
import describeInstanceEvents from './admin/describeInstanceEvents.js';
import describeNetworkPlane from './admin/describeNetworkPlane.js';
import describeInstanceConsoleLogAdmin from './admin/describeInstanceConsoleLogAdmin.js';
import drainHost from './admin/drainHost.js';
import enableHost from './admin/enableHost.js';
import evacuateInstance from './admin/evacuateInstance.js';
import forceDeleteInstance from './admin/forceDeleteInstance.js';
import resetInstanceState from './admin/resetInstanceState.js';
import renewInstance from './admin/renewInstance.js';
import importPublicImage from './admin/importImage.js';
import prepullImage from './admin/prepullImage.js';
import removeHost from './admin/removeHost.js';
import createDisks from './disk/createDisks.js';
import describeDisks from './disk/describeDisks.js';
import describeDisk from './disk/describeDisk.js';
import modifyDiskAttribute from './disk/modifyDiskAttribute.js';
import deleteDisk from './disk/deleteDisk.js';
import extendDisk from './disk/extendDisk.js';
import restoreDisk from './disk/restoreDisk.js';
import createSnapshot from './disk/createSnapshot.js';
import describeSnapshots from './disk/describeSnapshots.js';
import describeSnapshot from './disk/describeSnapshot.js';
import modifySnapshotAttribute from './disk/modifySnapshotAttribute.js';
import deleteSnapshot from './disk/deleteSnapshot.js';
import describeDiskQuota from './disk/describeQuota.js';
import attachDisk from './instances/attachDisk.js';
import detachDisk from './instances/detachDisk.js';
import modifyInstanceDiskAttribute from './instances/modifyInstanceDiskAttribute.js';
import addStorageBackend from './admin/addStorageBackend.js';
import describeStorageBackends from './admin/describeStorageBackends.js';
import removeStorageBackend from './admin/removeStorageBackend.js';

/** The route table. */
export const routes: readonly Route[] = [
  describeAuditLog,
  adminDescribeAuditLog,
  describeUsage,
  adminDescribeUsage,
  adminDescribeUsageRecords,
  renewInstance,
  createAccessKey,
  describeAccessKeys,
  disableAccessKey,
  enableAccessKey,
  deleteAccessKey,
  adminCreateAccessKey,
  adminDescribeAccessKeys,
  adminDisableAccessKey,
  adminEnableAccessKey,
  adminDeleteAccessKey,
  createKeypair,
  deleteKeypair,
  describeKeypairs,
  importKeypair,
  describeInstanceTypes,
  describeQuotas,
  createInstances,
  deleteInstance,
  describeInstance,
  describeInstancePrivateIpAddress,
  describeInstanceStatus,
  describeInstances,
  describeInstanceVncUrl,
  describeInstanceConsoleLog,
  describeInstanceSerialConsoleUrl,
  modifyInstanceAttribute,
  modifyInstancePassword,
  rebootInstance,
  associateInstanceElasticIp,
  attachNetworkInterface,
  detachNetworkInterface,
  modifyInstanceNetworkAttribute,
  disassociateInstanceElasticIp,
  rebuildInstance,
  resizeInstance,
  startInstance,
  stopInstance,
  createImage,
  copyImages,
  importImage,
  exportImage,
  imageTasks,
  shareImage,
  unShareImage,
  describeImageMembers,
  deleteImage,
  describeImage,
  describeImageConstraints,
  describeImageConstraintsBatch,
  describeImages,
  modifyImageAttribute,
  createVpc,
  describeVpcs,
  describeVpc,
  modifyVpc,
  deleteVpc,
  createSubnet,
  describeSubnets,
  describeSubnet,
  modifySubnet,
  deleteSubnet,
  createNetworkSecurityGroup,
  describeNetworkSecurityGroups,
  describeNetworkSecurityGroup,
  modifyNetworkSecurityGroup,
  deleteNetworkSecurityGroup,
  addNetworkSecurityGroupRules,
  removeNetworkSecurityGroupRules,
  modifyNetworkSecurityGroupRules,
  createNetworkInterface,
  describeNetworkInterfaces,
  describeNetworkInterface,
  modifyNetworkInterface,
  deleteNetworkInterface,
  assignSecondaryIps,
  unassignSecondaryIps,
  createElasticIps,
  describeElasticIps,
  describeElasticIp,
  modifyElasticIp,
  deleteElasticIp,
  associateElasticIp,
  disassociateElasticIp,
  createExternalNetwork,
  describeExternalNetworks,
  deleteExternalNetwork,
  createEipPool,
  describeEipPools,
  deleteEipPool,
  describeVpcQuota,
  createDisks,
  describeDisks,
  describeDisk,
  modifyDiskAttribute,
  deleteDisk,
  extendDisk,
  restoreDisk,
  createSnapshot,
  describeSnapshots,
  describeSnapshot,
  modifySnapshotAttribute,
  deleteSnapshot,
  describeDiskQuota,
  attachDisk,
  detachDisk,
  modifyInstanceDiskAttribute,
  addHost,
  createAccount,
  describeAccounts,
  describeHost,
  describeHosts,
  describeInstanceEvents,
  describeNetworkPlane,
  describeInstanceConsoleLogAdmin,
  drainHost,
  enableHost,
  forceDeleteInstance,
  evacuateInstance,
  resetInstanceState,
  importPublicImage,
  prepullImage,
  removeHost,
  addStorageBackend,
  describeStorageBackends,
  removeStorageBackend,
] as Route[];
