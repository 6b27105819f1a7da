// The transport interface: something that opens a fresh byte stream to libvirtd. No protocol knowledge.
import type { Duplex } from 'node:stream';

/** Opens byte streams to one libvirtd endpoint; each open() is a new connection. */
export interface Transport {
  /** Where this transport goes, for messages (no secrets). */
  readonly description: string;
  /** Whether frames must be written one per transport write (see RpcOptions.oneFramePerWrite). */
  readonly oneFramePerWrite?: boolean;
  /** Connects and resolves with a stream ready for RPC bytes. */
  open(): Promise<Duplex>;
  /**
   * Opens a byte stream to another unix socket on the same host (a guest's VNC socket), the way
   * open() reaches libvirtd's: directly for local sockets, a direct-streamlocal channel over SSH.
   * Absent for TCP and TLS, which reach no host sockets.
   */
  openSocket?(path: string): Promise<Duplex>;
}

/** Default time allowed for a transport to connect. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Runs `start` and rejects if it has not settled within `ms`, calling `onTimeout` to clean up. */
export function withTimeout<T>(
  ms: number,
  what: string,
  start: Promise<T>,
  onTimeout: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what}: timed out after ${ms} ms`));
    }, ms);
    start.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
