// Waiting for ports to come up: one monitor on Logical_Switch_Port (up, external_ids) per
// connection, shared by every waiter, so a hundred waits cost one monitor and no polling.
import {
  optionalOf,
  recordOf,
  type Monitor,
  type OvsdbClient,
  type Row,
  type TableUpdates,
} from '@kumo/ovsdb';
import { PortUpTimeoutError } from './errors.js';
import { K } from './names.js';
import { NB } from './tx.js';

/** The port-up state of every Kumo port, kept current by a monitor. */
export class PortWatcher {
  private readonly upByPort = new Map<string, boolean>();
  private readonly portByRow = new Map<string, string>();
  private readonly waiters = new Map<string, Set<{ resolve(): void; reject(e: Error): void }>>();
  private monitor: Monitor | undefined;

  private constructor(readonly client: OvsdbClient) {}

  /** Starts the monitor on `client`; waiters fail if the connection closes. */
  static async start(client: OvsdbClient): Promise<PortWatcher> {
    const w = new PortWatcher(client);
    client.once('close', (e: Error) => w.failAll(e));
    w.monitor = await client.monitor(NB, { Logical_Switch_Port: { columns: ['up', 'external_ids'] } }, (u) =>
      w.apply(u),
    );
    w.apply(w.monitor.initial);
    return w;
  }

  /** Resolves when the port is up; rejects with PortUpTimeoutError after `timeoutMs`. */
  wait(portId: string, timeoutMs: number): Promise<void> {
    if (this.upByPort.get(portId)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const set = this.waiters.get(portId) ?? new Set();
      this.waiters.set(portId, set);
      const entry = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        set.delete(entry);
        reject(new PortUpTimeoutError(portId, timeoutMs));
      }, timeoutMs);
      set.add(entry);
    });
  }

  async stop(): Promise<void> {
    await this.monitor?.cancel().catch(() => undefined);
  }

  private apply(updates: TableUpdates): void {
    for (const [rowId, change] of Object.entries(updates.Logical_Switch_Port ?? {})) {
      if (!change.new) {
        const portId = this.portByRow.get(rowId);
        this.portByRow.delete(rowId);
        if (portId) this.upByPort.delete(portId);
        continue;
      }
      const portId = portIdOf(change.new) ?? this.portByRow.get(rowId);
      if (!portId) continue;
      this.portByRow.set(rowId, portId);
      const up = optionalOf(change.new.up) === true;
      this.upByPort.set(portId, up);
      if (up) this.settle(portId);
    }
  }

  private settle(portId: string): void {
    const set = this.waiters.get(portId);
    if (!set) return;
    this.waiters.delete(portId);
    for (const w of set) w.resolve();
  }

  private failAll(e: Error): void {
    for (const set of this.waiters.values()) for (const w of set) w.reject(e);
    this.waiters.clear();
  }
}

function portIdOf(row: Row): string | undefined {
  return row.external_ids === undefined ? undefined : recordOf(row.external_ids)[K.port];
}
