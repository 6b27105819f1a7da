// Domain event subscriptions: decoding of event messages and delivery as EventEmitter and async iterator. No RPC calls here.
import { EventEmitter } from 'node:events';
import { readDomain, type Domain } from './types.js';
import type { XdrReader } from './xdr.js';
import { Proc } from './procedures/numbers.js';

/** Domain event ids for CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY. */
export const DomainEventId = {
  LIFECYCLE: 0,
  REBOOT: 1,
} as const;

/** A lifecycle event: `event` is a DomainEventType, `detail` its per-type reason. */
export interface DomainLifecycleEvent {
  dom: Domain;
  event: number;
  detail: number;
}

/** A guest reboot event. */
export interface DomainRebootEvent {
  dom: Domain;
}

/** @internal How to recognise and decode one event kind. */
export interface EventKind<T> {
  eventId: number;
  messageProc: number;
  decode: (r: XdrReader) => T;
}

/** @internal */
export const LifecycleKind: EventKind<DomainLifecycleEvent> = {
  eventId: DomainEventId.LIFECYCLE,
  messageProc: Proc.DOMAIN_EVENT_CALLBACK_LIFECYCLE,
  decode: (r) => ({ dom: readDomain(r), event: r.int(), detail: r.int() }),
};

/** @internal */
export const RebootKind: EventKind<DomainRebootEvent> = {
  eventId: DomainEventId.REBOOT,
  messageProc: Proc.DOMAIN_EVENT_CALLBACK_REBOOT,
  decode: (r) => ({ dom: readDomain(r) }),
};

/** Events kept for an async iterator that is not being read; older ones are dropped beyond this. */
const QUEUE_MAX = 10_000;

/**
 * A registered event callback. Emits 'event' for each event; also async-iterable (the iterator
 * ends when the subscription is closed). It survives reconnects: the client re-registers it.
 */
export class EventSubscription<T> extends EventEmitter implements AsyncIterable<T> {
  /** Server-side callback id in the current session (changes after a reconnect). */
  callbackId = -1;
  /** Events dropped because an iterator fell more than 10,000 events behind. */
  dropped = 0;
  private closed = false;
  private queue: T[] = [];
  private waiters: Array<(r: IteratorResult<T>) => void> = [];
  private iterating = 0;

  /** @internal */
  constructor(
    readonly kind: EventKind<T>,
    readonly dom: Domain | null,
    private readonly onClose: (s: EventSubscription<T>) => Promise<void>,
  ) {
    super();
  }

  /** @internal Delivers one decoded event. */
  deliver(ev: T): void {
    this.emit('event', ev);
    if (this.iterating === 0) return;
    const w = this.waiters.shift();
    if (w) w({ value: ev, done: false });
    else {
      if (this.queue.length >= QUEUE_MAX) {
        this.queue.shift();
        this.dropped++;
      }
      this.queue.push(ev);
    }
  }

  /** Deregisters the callback on the server and ends iterators. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
    await this.onClose(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    this.iterating++;
    return {
      next: () => {
        const v = this.queue.shift();
        if (v !== undefined) return Promise.resolve({ value: v, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiters.push(resolve));
      },
      return: () => {
        this.iterating--;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
