// The console settings of the configuration: defaults (JD's one-hour token, kumod's own endpoint)
// and the values refused at startup.
import { describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from './config.js';

describe('console configuration', () => {
  test('defaults: an hour per token, URLs on the listen address, VNC on unix sockets', () => {
    const c = parseConfig({});
    expect(c.console).toMatchObject({
      baseUrl: 'https://127.0.0.1:8080',
      tokenTtlSeconds: 3600,
      maxSessionsPerInstance: 2,
      clockOffsetSeconds: 0,
    });
    expect(c.compute.vncListen).toBe('socket');
    expect(parseConfig({ KUMO_TLS: 'off', KUMO_PUBLIC_HOSTS: 'cloud.example:9000' }).console.baseUrl).toBe(
      'http://cloud.example:9000',
    );
  });

  test('a console URL with a path, or a VNC listener that is no address, stops kumod', () => {
    expect(() => parseConfig({ KUMO_CONSOLE_URL: 'https://x.example/console' })).toThrow(ConfigError);
    expect(() => parseConfig({ KUMO_VNC_LISTEN: 'everywhere' })).toThrow(/KUMO_VNC_LISTEN/);
    expect(() => parseConfig({ KUMO_CONSOLE_TOKEN_TTL_SECONDS: '0' })).toThrow(/TOKEN_TTL/);
  });
});
