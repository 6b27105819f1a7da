// Every action of Tencent's CBS API that `POST /` serves, one file each (see ../action.ts).
import type { CvmAction } from '../action.js';
import AttachDisks from './AttachDisks.js';
import CreateDisks from './CreateDisks.js';
import CreateSnapshot from './CreateSnapshot.js';
import DeleteSnapshots from './DeleteSnapshots.js';
import DescribeDisks from './DescribeDisks.js';
import DescribeSnapshots from './DescribeSnapshots.js';
import DetachDisks from './DetachDisks.js';
import ResizeDisk from './ResizeDisk.js';
import TerminateDisks from './TerminateDisks.js';

/** The CBS service's actions, by X-TC-Action. */
export const cbsActions: readonly CvmAction[] = [
  AttachDisks,
  CreateDisks,
  CreateSnapshot,
  DeleteSnapshots,
  DescribeDisks,
  DescribeSnapshots,
  DetachDisks,
  ResizeDisk,
  TerminateDisks,
] as CvmAction[];
