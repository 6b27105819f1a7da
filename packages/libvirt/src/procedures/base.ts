// Base of the procedure classes: how a typed method reaches the RPC core. Holds no procedure of its own.
import { EventEmitter } from 'node:events';
import { ClientErrorCode, LibvirtError } from '../errors.js';
import { Program, type Decoder, type Encoder, type RpcConnection } from '../rpc.js';
import type { XdrReader } from '../xdr.js';

/** Decoders shared by several procedure files. */
export const dec = {
  string: (r: XdrReader): string => r.string(),
  int: (r: XdrReader): number => r.int(),
  uhyper: (r: XdrReader): bigint => r.uhyper(),
  bool: (r: XdrReader): boolean => r.int() !== 0,
};

/**
 * The procedure classes form a chain (connect → domain → storage → network → client) so that each
 * area lives in its own small file while the client exposes one flat, typed API.
 */
export abstract class ProcedureBase extends EventEmitter {
  /** The live RPC session; throws a CONNECTION_CLOSED LibvirtError when there is none. */
  protected abstract get rpc(): RpcConnection;

  /** Calls a REMOTE procedure. */
  protected call<T = void>(proc: number, encode?: Encoder, decode?: Decoder<T>): Promise<T> {
    let rpc: RpcConnection;
    try {
      rpc = this.rpc;
    } catch (e) {
      return Promise.reject(e);
    }
    return rpc.call<T>(Program.REMOTE, proc, encode, decode);
  }

  /** @internal */
  protected static notConnected(): LibvirtError {
    return new LibvirtError({
      code: ClientErrorCode.CONNECTION_CLOSED,
      message: 'not connected to libvirtd',
    });
  }
}
