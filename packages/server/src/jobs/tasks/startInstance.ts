// The start task of startInstance: power the domain on unless it already runs, then wait for its
// port to come up on the network plane.
import type { TaskDefinition } from '../steps.js';
import { linkStep, powerOnStep } from './power-steps.js';

export const startInstance: TaskDefinition = {
  task: 'start',
  steps: [powerOnStep, linkStep],
  done: () => ({ powerState: 'running' }),
};
