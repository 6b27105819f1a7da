// A minimal RFB (VNC) client for the console bench: the 3.8 handshake with security None, raw
// encoding only, and a reader that keeps one incremental update request outstanding and notes when
// each framebuffer update arrives. Enough to time keystroke → echo; not a viewer.
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';

/** One RFB connection. */
export class RfbClient {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private closed = false;
  private width = 0;
  private height = 0;
  private bytesPerPixel = 4;
  private updateWaiters: ((at: number) => void)[] = [];
  /** When the last framebuffer update finished arriving (performance.now()). */
  lastUpdateAt = 0;

  constructor(private readonly sock: Duplex) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    for (const ev of ['end', 'close'])
      sock.on(ev, () => {
        this.closed = true;
        this.wake?.();
      });
    sock.on('error', () => undefined);
  }

  private async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.closed) throw new Error('RFB connection closed');
      await new Promise<void>((r) => (this.wake = r));
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Version, security None, ClientInit (shared), ServerInit, raw encoding; then the update loop. */
  async handshake(): Promise<void> {
    await this.read(12);
    this.sock.write('RFB 003.008\n');
    const n = (await this.read(1))[0]!;
    const types = await this.read(n);
    if (!types.includes(1)) throw new Error(`the server offers no security None (${[...types].join(',')})`);
    this.sock.write(Buffer.from([1]));
    if ((await this.read(4)).readUInt32BE(0) !== 0) throw new Error('security handshake failed');
    this.sock.write(Buffer.from([1]));
    const init = await this.read(24);
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    this.bytesPerPixel = init[4]! / 8;
    await this.read(init.readUInt32BE(20));
    // SetEncodings: raw (0) and DesktopSize (-223).
    const enc = Buffer.alloc(12);
    enc.writeUInt8(2, 0);
    enc.writeUInt16BE(2, 2);
    enc.writeInt32BE(0, 4);
    enc.writeInt32BE(-223, 8);
    this.sock.write(enc);
    this.request(false);
    void this.loop().catch(() => undefined);
  }

  private request(incremental: boolean): void {
    const m = Buffer.alloc(10);
    m.writeUInt8(3, 0);
    m.writeUInt8(incremental ? 1 : 0, 1);
    m.writeUInt16BE(this.width, 6);
    m.writeUInt16BE(this.height, 8);
    this.sock.write(m);
  }

  private async loop(): Promise<void> {
    for (;;) {
      const type = (await this.read(1))[0];
      if (type === 0) {
        const rects = (await this.read(3)).readUInt16BE(1);
        for (let i = 0; i < rects; i++) {
          const h = await this.read(12);
          const [w, ht, enc] = [h.readUInt16BE(4), h.readUInt16BE(6), h.readInt32BE(8)];
          if (enc === 0) await this.read(w * ht * this.bytesPerPixel);
          else if (enc === -223) [this.width, this.height] = [w, ht];
          else throw new Error(`unexpected encoding ${enc}`);
        }
        this.lastUpdateAt = performance.now();
        this.updateWaiters.splice(0).forEach((f) => f(this.lastUpdateAt));
        this.request(true);
      } else if (type === 2) {
        // Bell: no payload.
      } else if (type === 3) {
        await this.read((await this.read(7)).readUInt32BE(3));
      } else throw new Error(`unexpected server message ${type}`);
    }
  }

  /** Resolves at the next framebuffer update. */
  nextUpdate(): Promise<number> {
    return new Promise((r) => this.updateWaiters.push(r));
  }

  /** Presses and releases a key (an X keysym). */
  key(keysym: number): void {
    const m = Buffer.alloc(16);
    for (const [at, down] of [
      [0, 1],
      [8, 0],
    ] as const) {
      m.writeUInt8(4, at);
      m.writeUInt8(down, at + 1);
      m.writeUInt32BE(keysym, at + 4);
    }
    this.sock.write(m);
  }

  close(): void {
    this.sock.destroy();
  }
}
