#!/usr/bin/env node
// kumod entry point: the daemon with Kumo's built-in drivers.
import { builtinDrivers } from './drivers/registry.js';
import { runKumod } from './run.js';

void runKumod(builtinDrivers());
