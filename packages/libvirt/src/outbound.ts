// The outbound side of one RPC session: hands encoded frames to the transport, corked per tick or
// strictly one frame per write (for TLS), and tells writers when to wait for the transport to
// drain. Knows no packet types, serials or procedures.
import type { Duplex } from 'node:stream';

/** Bytes queued in one-frame-per-write mode before writers are asked to wait for drain(). */
export const OUT_QUEUE_HIGH = 1 << 20;

/** Frames on their way to one transport. */
export class Outbound {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private writing = false;
  private corked = false;
  private stopped = false;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(
    private readonly sock: Duplex,
    private readonly oneFramePerWrite: boolean,
  ) {
    sock.on('drain', () => this.flushWaiters());
  }

  /**
   * Writes one frame. With `oneFramePerWrite`, a frame is handed to the transport only after the
   * previous one was written, so the transport can never merge two frames into one write (for TLS:
   * one record); returns false once OUT_QUEUE_HIGH bytes wait, like a stream's write().
   */
  write(buf: Buffer): boolean {
    if (!this.oneFramePerWrite) {
      // Frames written in the same tick (e.g. calls issued as a burst of replies arrives) go out
      // in one transport write: fewer syscalls, and more CPU left for libvirtd on the same host.
      if (!this.corked) {
        this.corked = true;
        this.sock.cork();
        process.nextTick(() => {
          this.corked = false;
          this.sock.uncork();
        });
      }
      return this.sock.write(buf);
    }
    this.queue.push(buf);
    this.queuedBytes += buf.length;
    if (!this.writing) this.pump();
    return this.queuedBytes < OUT_QUEUE_HIGH;
  }

  /** Resolves when the transport's write buffer has drained (or at once if it is not full). */
  drain(): Promise<void> {
    if (!this.sock.writableNeedDrain && this.queuedBytes < OUT_QUEUE_HIGH) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Drops every queued frame and rejects every drain() waiter with `err`; later frames go nowhere. */
  stop(err: Error): void {
    this.stopped = true;
    this.queue = [];
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(err);
  }

  private pump(): void {
    const buf = this.queue.shift();
    if (!buf || this.stopped) {
      this.writing = false;
      return;
    }
    this.writing = true;
    this.queuedBytes -= buf.length;
    if (this.queuedBytes < OUT_QUEUE_HIGH && !this.sock.writableNeedDrain) this.flushWaiters();
    this.sock.write(buf, (err) => {
      // A write error also surfaces as the socket's 'error' event, which tears the session down.
      if (!err) this.pump();
    });
  }

  private flushWaiters(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) x.resolve();
  }
}
