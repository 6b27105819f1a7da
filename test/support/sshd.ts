// sshd_config for the throw-away OpenSSH servers tests start (key login only, files under /tmp).

/** Where one test sshd listens and finds its keys. */
export interface SshdOptions {
  listen: string;
  hostKey: string;
  authorizedKeys: string;
  pidFile: string;
  /** Extra lines, e.g. `AllowStreamLocalForwarding yes`. */
  extra?: string[];
}

/** An sshd_config that accepts only the authorized keys (root included) and never a password. */
export function sshdConfig(o: SshdOptions): string {
  return [
    `ListenAddress ${o.listen}`,
    `HostKey ${o.hostKey}`,
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    `PidFile ${o.pidFile}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The keys live under /tmp, whose mode StrictModes would reject.
    'StrictModes no',
    'X11Forwarding no',
    ...(o.extra ?? []),
    '',
  ].join('\n');
}
