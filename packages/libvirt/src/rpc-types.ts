// The types an RPC session is configured and driven with (options, codecs, stream handlers), apart
// from the session itself in rpc.ts. No behaviour.
import type { LibvirtError } from './errors.js';
import type { Packet } from './framing.js';
import type { XdrReader, XdrWriter } from './xdr.js';

/** Receives the packets of one open stream (routed by the serial of the call that opened it). */
export interface StreamHandler {
  /** Called for every STREAM / STREAM_HOLE packet with this stream's serial. */
  onPacket(pkt: Packet): void;
  /** Called once if the connection dies while the stream is registered. */
  onConnectionClosed(err: LibvirtError): void;
}

/** Keepalive and limits for one connection. */
export interface RpcOptions {
  /** Send a PING after this much silence from the peer (ms); 0 disables keepalive. Default 5000. */
  keepaliveIntervalMs?: number;
  /** Declare the peer dead after this many intervals of silence. Default 5. */
  keepaliveCount?: number;
  /** Largest frame accepted from the peer. */
  maxFrame?: number;
  /**
   * A call without a reply after this long fails with a TIMEOUT LibvirtError (a late reply is then
   * dropped), so a hung daemon-side job cannot hold a caller forever while keepalives still flow.
   * Default 600000 (10 min: long enough for any volume job Kumo runs); 0 disables.
   */
  callTimeoutMs?: number;
  /** Calls sent before their predecessors' replies arrive; more wait client-side. Default unlimited. */
  maxInFlight?: number;
  /**
   * Never let the transport merge two frames into one write. Needed for TLS: libvirtd 9.0 handles
   * one RPC message per socket read event, so messages sharing a TLS record wait in gnutls's
   * buffer until more bytes arrive (calls stalled until the next keepalive).
   */
  oneFramePerWrite?: boolean;
}

/** Encodes a call's arguments. */
export type Encoder = (w: XdrWriter) => void;
/** Decodes a reply payload. */
export type Decoder<T> = (r: XdrReader) => T;

/** How long a call may wait for its reply by default (see RpcOptions.callTimeoutMs). */
export const DEFAULT_CALL_TIMEOUT_MS = 600_000;
