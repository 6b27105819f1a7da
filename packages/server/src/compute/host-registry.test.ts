// Where a host's guests listen for VNC, from its URI and the configured choice.
import { describe, expect, test } from '@jest/globals';
import { vncListenFor } from './host-registry.js';

describe('vncListenFor', () => {
  test('unix and SSH hosts keep the socket; TCP and TLS hosts listen on their URI address', () => {
    expect(vncListenFor('qemu:///system', 'socket')).toBe('socket');
    expect(vncListenFor('qemu+ssh://root@10.0.0.7/system', 'socket')).toBe('socket');
    expect(vncListenFor('qemu+tcp://10.99.3.2/system', 'socket')).toBe('10.99.3.2');
    expect(vncListenFor('qemu+tls://[fd00::5]/system', 'socket')).toBe('fd00::5');
    expect(vncListenFor('qemu+tls://h.example/system', '10.1.1.1')).toBe('10.1.1.1');
  });
});
