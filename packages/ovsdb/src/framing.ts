// Splits a byte stream into JSON-RPC messages. OVSDB sends JSON texts back to back with no length
// prefix or delimiter, so the decoder tracks object depth and string state byte by byte (every
// structural character is ASCII, and UTF-8 never puts an ASCII byte inside a multi-byte sequence).
import { ClientErrorKind, OvsdbClientError } from './errors.js';

/** Default bound on one message (a monitor's initial dump of a large NB database fits easily). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Incremental decoder: push() chunks, get back every complete message parsed as JSON. */
export class MessageDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;

  constructor(private readonly maxBytes = DEFAULT_MAX_MESSAGE_BYTES) {}

  /** Feeds bytes; returns the messages they completed. Throws OvsdbClientError(PROTOCOL) on bad input. */
  push(chunk: Buffer): unknown[] {
    const out: unknown[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (!this.started) {
        // Whitespace between messages is allowed; anything else before a '{' is not.
        if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
          start = i + 1;
          continue;
        }
        if (b !== OPEN_BRACE)
          throw protocol(`expected '{' at the start of a message, got byte 0x${b.toString(16)}`);
        this.started = true;
        start = i;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          out.push(this.finish(chunk.subarray(start, i + 1)));
          start = i + 1;
        }
      }
    }
    if (this.started && start < chunk.length) this.keep(chunk.subarray(start));
    return out;
  }

  /** Bytes held for an unfinished message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private keep(part: Buffer): void {
    this.buffered += part.length;
    if (this.buffered > this.maxBytes) throw protocol(`message exceeds ${this.maxBytes} bytes`);
    this.chunks.push(Buffer.from(part));
  }

  private finish(last: Buffer): unknown {
    const total = this.buffered + last.length;
    if (total > this.maxBytes) throw protocol(`message exceeds ${this.maxBytes} bytes`);
    const text = (this.chunks.length ? Buffer.concat([...this.chunks, last], total) : last).toString('utf8');
    this.chunks = [];
    this.buffered = 0;
    this.started = false;
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw protocol(`invalid JSON: ${(e as Error).message}`);
    }
  }
}

/** One JSON-RPC 1.0 message as sent: a request/notification (id null) or a response. */
export type Message =
  | { kind: 'request'; id: unknown; method: string; params: unknown[] }
  | { kind: 'response'; id: unknown; result: unknown; error: unknown };

/** Classifies a parsed message; throws OvsdbClientError(PROTOCOL) when it is neither shape. */
export function classify(m: unknown): Message {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw protocol('message is not an object');
  const o = m as Record<string, unknown>;
  if (typeof o.method === 'string') {
    if (!Array.isArray(o.params)) throw protocol(`${o.method}: params is not an array`);
    return { kind: 'request', id: o.id ?? null, method: o.method, params: o.params as unknown[] };
  }
  if ('result' in o || 'error' in o) {
    return { kind: 'response', id: o.id ?? null, result: o.result ?? null, error: o.error ?? null };
  }
  throw protocol('message is neither a request nor a response');
}

/** Encodes one message as bytes to write. */
export function encode(m: object): Buffer {
  return Buffer.from(JSON.stringify(m), 'utf8');
}

function protocol(message: string): OvsdbClientError {
  return new OvsdbClientError(ClientErrorKind.PROTOCOL, message);
}
