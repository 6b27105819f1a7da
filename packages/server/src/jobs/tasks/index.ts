// Every task by name: one file per task, named like the JD operation that queues it.
import type { TaskName } from '@kumo/store';
import type { TaskDefinition } from '../steps.js';
import { createImage } from './createImage.js';
import { createInstances } from './createInstances.js';
import { deleteInstance } from './deleteInstance.js';
import { evacuateInstance } from './evacuateInstance.js';
import { rebootInstance } from './rebootInstance.js';
import { rebuildInstance } from './rebuildInstance.js';
import { resizeInstance } from './resizeInstance.js';
import { setInstanceKeys } from './setInstanceKeys.js';
import { startInstance } from './startInstance.js';
import { stopInstance } from './stopInstance.js';

/** The definition of each task. */
export const TASKS: Readonly<Record<TaskName, TaskDefinition>> = {
  spawn: createInstances,
  start: startInstance,
  stop: stopInstance,
  reboot: rebootInstance,
  resize: resizeInstance,
  rebuild: rebuildInstance,
  image: createImage,
  keys: setInstanceKeys,
  evacuate: evacuateInstance,
  delete: deleteInstance,
};
