// Reads a request body after the caller was authenticated on its headers: bounded in size and in
// time, uncompressed JSON only. Nothing is buffered for a caller that has not passed preflight.
import type { IncomingMessage } from 'node:http';
import { Errors } from '@kumo/contract';

/** Limits of one body. */
export interface BodyLimits {
  maxBytes: number;
  /** The whole body must arrive within this long after the headers. */
  timeoutMs: number;
}

/** Checks what the headers say about the body before a byte of it is read. */
export function checkBodyHeaders(req: IncomingMessage, limits: BodyLimits): void {
  if (req.method !== 'POST' && req.method !== 'PATCH') return;
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity') throw Errors.unsupportedMediaType(`content-encoding ${encoding.slice(0, 32)}`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw Errors.unsupportedMediaType(`content-type '${type.slice(0, 64)}'`);
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > limits.maxBytes) throw Errors.bodyTooLarge(limits.maxBytes);
}

/** Reads the whole body (empty for GET/DELETE without one) within the limits. */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | undefined, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (err) {
        // Stop reading: the rest of a refused body is never buffered.
        req.pause();
        reject(err);
      } else resolve(body!);
    };
    const timer = setTimeout(() => finish(Errors.requestTimeout()), limits.timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return finish(Errors.bodyTooLarge(limits.maxBytes));
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined, Buffer.concat(chunks, size));
    const onError = (err: Error) => finish(err);
    const onAborted = () => finish(new Error('client aborted the request'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}
