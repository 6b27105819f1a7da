// The lifecycle event feed of one host: libvirt domain events of Kumo's own domains, mapped to
// InstanceEvents. The mapping is pure; the feed only filters and translates, it decides nothing.
import { DomainEventStoppedDetail, DomainEventType, type DomainLifecycleEvent } from '@kumo/libvirt';
import type { HostContext } from './context.js';
import type { Naming } from './naming.js';
import type { InstanceEvent } from './spec.js';

/** An open event feed; iterate it, and close it when done. */
export interface EventFeed extends AsyncIterable<InstanceEvent> {
  close(): Promise<void>;
}

const KINDS: Readonly<Partial<Record<number, InstanceEvent['kind']>>> = {
  [DomainEventType.DEFINED]: 'defined',
  [DomainEventType.UNDEFINED]: 'undefined',
  [DomainEventType.STARTED]: 'started',
  [DomainEventType.STOPPED]: 'stopped',
  [DomainEventType.SHUTDOWN]: 'shutdown',
  [DomainEventType.SUSPENDED]: 'suspended',
  [DomainEventType.RESUMED]: 'resumed',
  [DomainEventType.CRASHED]: 'crashed',
};

/** The InstanceEvent of a libvirt lifecycle event, or undefined when the domain is not Kumo's. */
export function toInstanceEvent(names: Naming, ev: DomainLifecycleEvent): InstanceEvent | undefined {
  const id = names.instanceId(ev.dom.name);
  if (id === undefined) return undefined;
  // SHUTDOWN events are the guest's own; a STOPPED event with detail SHUTDOWN means the guest powered
  // itself off (a destroy is detail DESTROYED).
  const byGuest =
    ev.event === DomainEventType.SHUTDOWN ||
    (ev.event === DomainEventType.STOPPED && ev.detail === DomainEventStoppedDetail.SHUTDOWN);
  return { id, kind: KINDS[ev.event] ?? 'other', byGuest };
}

/** Subscribes to lifecycle events and returns the feed of Kumo instances' events. */
export async function openEventFeed(ctx: HostContext): Promise<EventFeed> {
  const sub = await ctx.step('events', () => ctx.lv.domainEventLifecycle());
  const names = ctx.names;
  return {
    close: () => sub.close(),
    async *[Symbol.asyncIterator]() {
      for await (const ev of sub) {
        const mapped = toInstanceEvent(names, ev);
        if (mapped) yield mapped;
      }
    },
  };
}
