// How libvirt's domain states read as Kumo power states; a pure mapping, no I/O.
import { DomainState } from '@kumo/libvirt';
import type { PowerState } from '../spec.js';

/**
 * The power state of a domain in libvirt state `state`. BLOCKED (waiting on I/O) still runs, and a
 * PM-suspended guest is as paused as a paused one; NOSTATE and SHUTOFF (and any state a newer
 * libvirt adds) read as stopped, the state from which a start is the way forward.
 */
export function powerStateOf(state: number): PowerState {
  switch (state) {
    case DomainState.RUNNING:
    case DomainState.BLOCKED:
      return 'running';
    case DomainState.PAUSED:
    case DomainState.PMSUSPENDED:
      return 'paused';
    case DomainState.SHUTDOWN:
      return 'shutting-down';
    case DomainState.CRASHED:
      return 'crashed';
    default:
      return 'stopped';
  }
}
