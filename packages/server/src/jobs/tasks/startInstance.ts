// The start task of startInstance: power the domain on unless it already runs.
import type { TaskDefinition } from '../steps.js';
import { powerOnStep } from './power-steps.js';

export const startInstance: TaskDefinition = {
  task: 'start',
  steps: [powerOnStep],
  done: () => ({ powerState: 'running' }),
};
