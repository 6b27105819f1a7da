// Every CVM API 3.0 action, one file each (see ../action.ts).
import type { CvmAction } from '../action.js';
import AssociateInstancesKeyPairs from './AssociateInstancesKeyPairs.js';
import CreateImage from './CreateImage.js';
import CreateKeyPair from './CreateKeyPair.js';
import DeleteImages from './DeleteImages.js';
import DeleteKeyPairs from './DeleteKeyPairs.js';
import DescribeImageSharePermission from './DescribeImageSharePermission.js';
import DescribeImages from './DescribeImages.js';
import DescribeInstanceTypeConfigs from './DescribeInstanceTypeConfigs.js';
import DescribeInstanceVncUrl from './DescribeInstanceVncUrl.js';
import DescribeInstances from './DescribeInstances.js';
import DescribeInstancesStatus from './DescribeInstancesStatus.js';
import DescribeKeyPairs from './DescribeKeyPairs.js';
import DescribeRegions from './DescribeRegions.js';
import DescribeZoneInstanceConfigInfos from './DescribeZoneInstanceConfigInfos.js';
import DescribeZones from './DescribeZones.js';
import DisassociateInstancesKeyPairs from './DisassociateInstancesKeyPairs.js';
import ImportKeyPair from './ImportKeyPair.js';
import ModifyImageAttribute from './ModifyImageAttribute.js';
import ModifyImageSharePermission from './ModifyImageSharePermission.js';
import ModifyInstancesAttribute from './ModifyInstancesAttribute.js';
import RebootInstances from './RebootInstances.js';
import ResetInstance from './ResetInstance.js';
import ResetInstancesPassword from './ResetInstancesPassword.js';
import ResetInstancesType from './ResetInstancesType.js';
import RunInstances from './RunInstances.js';
import StartInstances from './StartInstances.js';
import StopInstances from './StopInstances.js';
import SyncImages from './SyncImages.js';
import TerminateInstances from './TerminateInstances.js';

/** The actions `POST /` serves, by X-TC-Action. */
export const cvmActions: readonly CvmAction[] = [
  AssociateInstancesKeyPairs,
  CreateImage,
  CreateKeyPair,
  DeleteImages,
  DeleteKeyPairs,
  DescribeImageSharePermission,
  DescribeImages,
  DescribeInstanceTypeConfigs,
  DescribeInstanceVncUrl,
  DescribeInstances,
  DescribeInstancesStatus,
  DescribeKeyPairs,
  DescribeRegions,
  DescribeZoneInstanceConfigInfos,
  DescribeZones,
  DisassociateInstancesKeyPairs,
  ImportKeyPair,
  ModifyImageAttribute,
  ModifyImageSharePermission,
  ModifyInstancesAttribute,
  RebootInstances,
  ResetInstance,
  ResetInstancesPassword,
  ResetInstancesType,
  RunInstances,
  StartInstances,
  StopInstances,
  SyncImages,
  TerminateInstances,
] as CvmAction[];
