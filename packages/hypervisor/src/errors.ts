// Typed errors of @kumo/hypervisor and the one place libvirt errors are translated into them; no
// libvirt error type, code or message text leaves this package except as `cause`.
import { LibvirtError, isNotFound, isOperationInvalid, isStorageVolExists } from '@kumo/libvirt';

/** What went wrong, in the control plane's terms. */
export type HypervisorErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_STATE'
  | 'INVALID_ARGUMENT'
  | 'IMAGE_NOT_FOUND'
  | 'CHECKSUM_MISMATCH'
  | 'INSUFFICIENT_SPACE'
  | 'DEFINE_FAILED'
  | 'START_FAILED'
  | 'TIMEOUT'
  | 'HOST_UNAVAILABLE'
  | 'HOST_ERROR';

/** An error raised by a Host operation; `step` names the operation step that failed. */
export class HypervisorError extends Error {
  override readonly name = 'HypervisorError';
  constructor(
    readonly code: HypervisorErrorCode,
    message: string,
    readonly step?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is a HypervisorError with the given code. */
export function isHypervisorError(err: unknown, code?: HypervisorErrorCode): err is HypervisorError {
  return err instanceof HypervisorError && (code === undefined || err.code === code);
}

/** Translates anything thrown by libvirt (or ourselves) during `step` into a HypervisorError. */
export function translate(
  err: unknown,
  step: string,
  fallback: HypervisorErrorCode = 'HOST_ERROR',
): HypervisorError {
  if (err instanceof HypervisorError) return err;
  if (err instanceof LibvirtError) {
    // Only the libvirt message detail is kept (it helps operators); codes are mapped, never exposed.
    const detail = `${step}: ${err.message}`;
    if (isNotFound(err)) return new HypervisorError('NOT_FOUND', detail, step, { cause: err });
    if (isStorageVolExists(err)) return new HypervisorError('ALREADY_EXISTS', detail, step, { cause: err });
    if (isOperationInvalid(err)) return new HypervisorError('INVALID_STATE', detail, step, { cause: err });
    if (err.code < 0) return new HypervisorError('HOST_UNAVAILABLE', detail, step, { cause: err });
    return new HypervisorError(fallback, detail, step, { cause: err });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new HypervisorError(fallback, `${step}: ${msg}`, step, { cause: err });
}
