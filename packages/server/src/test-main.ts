#!/usr/bin/env node
// kumod for tests: the built-in drivers plus the `fake` network plane (KUMO_NETWORK_DRIVER=fake,
// KUMO_OVN_NB=file:/path), which production kumod never registers.
import { builtinDrivers } from './drivers/registry.js';
import { runKumod } from './run.js';
import { connectFakeNetworkPlane } from './testing/fake-network-plane.js';

const drivers = builtinDrivers();
drivers.network.register('fake', connectFakeNetworkPlane);
void runKumod(drivers);
