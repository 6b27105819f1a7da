// The stop task of stopInstance: ACPI shutdown, forced after the configured grace period, unless
// the domain is already off.
import type { TaskDefinition } from '../steps.js';
import { powerOffStep } from './power-steps.js';

export const stopInstance: TaskDefinition = {
  task: 'stop',
  steps: [powerOffStep],
  done: () => ({ powerState: 'stopped' }),
};
