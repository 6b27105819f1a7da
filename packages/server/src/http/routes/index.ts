// Every route of the API, one file per operation.
import type { Route } from '../route.js';
import createKeypair from './keypairs/createKeypair.js';
import deleteKeypair from './keypairs/deleteKeypair.js';
import describeKeypairs from './keypairs/describeKeypairs.js';
import importKeypair from './keypairs/importKeypair.js';
import describeInstanceTypes from './catalogue/describeInstanceTypes.js';
import describeQuotas from './catalogue/describeQuotas.js';
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
import rebuildInstance from './instances/rebuildInstance.js';
import resizeInstance from './instances/resizeInstance.js';
import startInstance from './instances/startInstance.js';
import stopInstance from './instances/stopInstance.js';
import deleteImage from './images/deleteImage.js';
import describeImage from './images/describeImage.js';
import describeImageConstraints from './images/describeImageConstraints.js';
import describeImageConstraintsBatch from './images/describeImageConstraintsBatch.js';
import describeImages from './images/describeImages.js';
import modifyImageAttribute from './images/modifyImageAttribute.js';
import describeSubnets from './network/describeSubnets.js';
import addHost from './admin/addHost.js';
import createAccount from './admin/createAccount.js';
import describeAccounts from './admin/describeAccounts.js';
import describeHost from './admin/describeHost.js';
import describeHosts from './admin/describeHosts.js';
import describeInstanceEvents from './admin/describeInstanceEvents.js';
import describeInstanceConsoleLogAdmin from './admin/describeInstanceConsoleLogAdmin.js';
import drainHost from './admin/drainHost.js';
import enableHost from './admin/enableHost.js';
import importImage from './admin/importImage.js';
import prepullImage from './admin/prepullImage.js';
import removeHost from './admin/removeHost.js';

/** The route table. */
export const routes: readonly Route[] = [
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
  rebuildInstance,
  resizeInstance,
  startInstance,
  stopInstance,
  deleteImage,
  describeImage,
  describeImageConstraints,
  describeImageConstraintsBatch,
  describeImages,
  modifyImageAttribute,
  describeSubnets,
  addHost,
  createAccount,
  describeAccounts,
  describeHost,
  describeHosts,
  describeInstanceEvents,
  describeInstanceConsoleLogAdmin,
  drainHost,
  enableHost,
  importImage,
  prepullImage,
  removeHost,
] as Route[];
