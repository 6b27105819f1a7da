// Every CVM API 2.0 action, one file each (see ../action.ts).
import type { V2Action } from '../action.js';
import DescribeImages from './DescribeImages.js';
import DescribeInstances from './DescribeInstances.js';
import DescribeKeyPairs from './DescribeKeyPairs.js';
import RestartInstances from './RestartInstances.js';
import RunInstances from './RunInstances.js';
import StartInstances from './StartInstances.js';
import StopInstances from './StopInstances.js';
import TerminateInstances from './TerminateInstances.js';

/** The actions `/v2/index.php` serves, by Action. */
export const v2Actions: readonly V2Action[] = [
  DescribeImages,
  DescribeInstances,
  DescribeKeyPairs,
  RestartInstances,
  RunInstances,
  StartInstances,
  StopInstances,
  TerminateInstances,
];
