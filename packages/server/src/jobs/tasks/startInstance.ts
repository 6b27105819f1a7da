// The start task of startInstance: an instance of the NAT era moved onto the network plane first,
// power the domain on unless it already runs, then wait for its port to come up on the plane.
import type { TaskDefinition } from '../steps.js';
import { adoptNetworkStep } from './adopt-network.js';
import { linkStep, powerOnStep } from './power-steps.js';

export const startInstance: TaskDefinition = {
  task: 'start',
  steps: [adoptNetworkStep, powerOnStep, linkStep],
  done: () => ({ powerState: 'running' }),
};
