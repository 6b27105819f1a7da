import { PassThrough } from 'node:stream';
import { ClientErrorCode, LibvirtError } from './errors.js';
import { RpcConnection } from './rpc.js';

// A peer that never answers: a PassThrough echoes our CALL frames back, which a client ignores.
function silentPeer(callTimeoutMs: number) {
  return new RpcConnection(new PassThrough(), { keepaliveIntervalMs: 0, callTimeoutMs });
}

describe('RpcConnection call deadlines', () => {
  it('fails a call that gets no reply with TIMEOUT, and keeps the session usable', async () => {
    const rpc = silentPeer(50);
    const started = Date.now();
    const err = await rpc.call(0x20008086, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(ClientErrorCode.TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(rpc.inFlight).toBe(0);
    expect(rpc.closed).toBe(false);
    rpc.destroy();
  });

  it('never times out a call when the deadline is disabled', async () => {
    const rpc = silentPeer(0);
    let settled = false;
    void rpc.call(0x20008086, 1).then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);
    expect(rpc.inFlight).toBe(1);
    rpc.destroy();
  });
});
