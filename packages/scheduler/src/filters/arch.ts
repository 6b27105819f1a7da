// Filter: the host CPU architecture must run the image's. Pure; knows only the common aliases.
import type { Filter } from './filter.js';

// Images and libvirt disagree on names (Debian says amd64/arm64, libvirt x86_64/aarch64).
const ALIASES: Readonly<Record<string, string>> = { amd64: 'x86_64', x64: 'x86_64', arm64: 'aarch64' };

/** The canonical (libvirt) spelling of an architecture name. */
export function canonicalArch(arch: string): string {
  const a = arch.toLowerCase();
  return ALIASES[a] ?? a;
}

/** Rejects hosts whose architecture differs from the image's. */
export const archFilter: Filter = {
  name: 'arch',
  check: (req, host) =>
    canonicalArch(host.arch) === canonicalArch(req.arch)
      ? undefined
      : `host is ${host.arch}, image needs ${req.arch}`,
};
