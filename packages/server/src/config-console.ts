// The console part of kumod's configuration: the URLs describeInstanceVncUrl hands out, token
// lifetime, session limits. Parsed once, by parseConfig; its variables are listed in
// CONFIG_VARIABLES with the rest.
import { ConfigError } from './config-error.js';

/** The browser console (describeInstanceVncUrl and its WebSocket proxy). */
export interface ConsoleConfig {
  /** Scheme, host and port the console URLs name (kumod's public endpoint). */
  baseUrl: string;
  /** How long an unused console token stays valid (JD: one hour). */
  tokenTtlSeconds: number;
  /** A session with no keystroke or pointer event for this long is closed. */
  idleSeconds: number;
  maxSessionsPerInstance: number;
  maxSessionsPerAccount: number;
  /** Guest-to-browser bandwidth cap per session. */
  maxBytesPerSecond: number;
  /** Test hook: seconds added to kumod's clock when it judges token expiry. 0 in production. */
  clockOffsetSeconds: number;
}

/** The variables of this section and their defaults (merged into CONFIG_VARIABLES). */
export const CONSOLE_VARIABLES = {
  KUMO_CONSOLE_URL: '',
  KUMO_CONSOLE_TOKEN_TTL_SECONDS: '3600',
  KUMO_CONSOLE_IDLE_SECONDS: '900',
  KUMO_CONSOLE_MAX_PER_INSTANCE: '2',
  KUMO_CONSOLE_MAX_PER_ACCOUNT: '10',
  KUMO_CONSOLE_MAX_BYTES_PER_SECOND: '4194304',
  KUMO_TEST_CLOCK_OFFSET_SECONDS: '0',
} as const;

type Name = keyof typeof CONSOLE_VARIABLES;

/** Parses the console section; console URLs default to kumod's first public host name. */
export function parseConsole(
  get: (name: Name) => string,
  int: (name: Name, min: number, max: number) => number,
  tls: boolean,
  publicHost: string,
): ConsoleConfig {
  const baseUrl = get('KUMO_CONSOLE_URL') || `${tls ? 'https' : 'http'}://${publicHost}`;
  if (!/^https?:\/\/[A-Za-z0-9.:[\]-]+$/.test(baseUrl))
    throw new ConfigError(`KUMO_CONSOLE_URL must be http(s)://host[:port] with no path, got "${baseUrl}"`);
  return {
    baseUrl,
    tokenTtlSeconds: int('KUMO_CONSOLE_TOKEN_TTL_SECONDS', 10, 24 * 3600),
    idleSeconds: int('KUMO_CONSOLE_IDLE_SECONDS', 1, 24 * 3600),
    maxSessionsPerInstance: int('KUMO_CONSOLE_MAX_PER_INSTANCE', 1, 100),
    maxSessionsPerAccount: int('KUMO_CONSOLE_MAX_PER_ACCOUNT', 1, 10_000),
    maxBytesPerSecond: int('KUMO_CONSOLE_MAX_BYTES_PER_SECOND', 65_536, 1 << 30),
    clockOffsetSeconds: int('KUMO_TEST_CLOCK_OFFSET_SECONDS', 0, 10 * 365 * 86_400),
  };
}
