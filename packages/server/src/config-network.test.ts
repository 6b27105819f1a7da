// The network plane's endpoint settings: one endpoint or a raft cluster's list, and the TLS files
// that ssl: endpoints need (all three or none), refused at startup when wrong.
import { describe, expect, test } from '@jest/globals';
import { parseConfig } from './config.js';

describe('northbound endpoints', () => {
  test('one unix socket by default; a cluster list over SSL with its three files', () => {
    expect(parseConfig({}).network).toMatchObject({
      endpoint: 'unix:/run/ovn/ovnnb_db.sock',
      tls: undefined,
    });
    const c = parseConfig({
      KUMO_OVN_NB: 'ssl:nb1.example:6641, ssl:nb2.example:6641,ssl:10.0.0.3:6641',
      KUMO_OVN_NB_PRIVATE_KEY: '/etc/kumo/ovn/key.pem',
      KUMO_OVN_NB_CERTIFICATE: '/etc/kumo/ovn/cert.pem',
      KUMO_OVN_NB_CA_CERT: '/etc/kumo/ovn/ca.pem',
    }).network;
    expect(c.endpoint).toBe('ssl:nb1.example:6641,ssl:nb2.example:6641,ssl:10.0.0.3:6641');
    expect(c.tls).toEqual({
      keyFile: '/etc/kumo/ovn/key.pem',
      certFile: '/etc/kumo/ovn/cert.pem',
      caFile: '/etc/kumo/ovn/ca.pem',
    });
  });

  test('ssl: without its files, a partial set of files, or something that is no endpoint stops kumod', () => {
    expect(() => parseConfig({ KUMO_OVN_NB: 'ssl:nb1:6641' })).toThrow(
      /ssl: endpoints: set KUMO_OVN_NB_PRIVATE_KEY/,
    );
    expect(() => parseConfig({ KUMO_OVN_NB_CA_CERT: '/ca.pem' })).toThrow(/go together/);
    expect(() => parseConfig({ KUMO_OVN_NB: 'http://nb:6641' })).toThrow(/KUMO_OVN_NB must list endpoints/);
    expect(() => parseConfig({ KUMO_OVN_NB: 'tcp:nb1:6641,' })).toThrow(/got ""/);
  });
});
