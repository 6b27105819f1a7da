// Every CVM API 3.0 action, one file each (see ../action.ts).
import type { CvmAction } from '../action.js';
import AssociateInstancesKeyPairs from './AssociateInstancesKeyPairs.js';
import CreateKeyPair from './CreateKeyPair.js';
import DeleteImages from './DeleteImages.js';
import DeleteKeyPairs from './DeleteKeyPairs.js';
import DescribeImages from './DescribeImages.js';
import DescribeInstanceTypeConfigs from './DescribeInstanceTypeConfigs.js';
import DescribeInstanceVncUrl from './DescribeInstanceVncUrl.js';
import DescribeInstances from './DescribeInstances.js';
import DescribeInstancesStatus from './DescribeInstancesStatus.js';
import DescribeKeyPairs from './DescribeKeyPairs.js';
import DescribeRegions from './DescribeRegions.js';
import DescribeZoneInstanceConfigInfos from './DescribeZoneInstanceConfigInfos.js';
import DescribeZones from './DescribeZones.js';
import ImportKeyPair from './ImportKeyPair.js';
import ModifyImageAttribute from './ModifyImageAttribute.js';
import ModifyInstancesAttribute from './ModifyInstancesAttribute.js';
import RebootInstances from './RebootInstances.js';
import ResetInstance from './ResetInstance.js';
import ResetInstancesPassword from './ResetInstancesPassword.js';
import ResetInstancesType from './ResetInstancesType.js';
import RunInstances from './RunInstances.js';
import StartInstances from './StartInstances.js';
import StopInstances from './StopInstances.js';
import TerminateInstances from './TerminateInstances.js';

/** The actions `POST /` serves, by X-TC-Action. */
export const cvmActions: readonly CvmAction[] = [
  AssociateInstancesKeyPairs,
  CreateKeyPair,
  DeleteImages,
  DeleteKeyPairs,
  DescribeImages,
  DescribeInstanceTypeConfigs,
  DescribeInstanceVncUrl,
  DescribeInstances,
  DescribeInstancesStatus,
  DescribeKeyPairs,
  DescribeRegions,
  DescribeZoneInstanceConfigInfos,
  DescribeZones,
  ImportKeyPair,
  ModifyImageAttribute,
  ModifyInstancesAttribute,
  RebootInstances,
  ResetInstance,
  ResetInstancesPassword,
  ResetInstancesType,
  RunInstances,
  StartInstances,
  StopInstances,
  TerminateInstances,
] as CvmAction[];
