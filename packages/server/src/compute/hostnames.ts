// The guest hostname of each instance of a createInstances request, decided before anything is
// placed: always a valid RFC 1123 name, so a spawn never fails late on it. Pure.
import { Errors, HOSTNAME_LABEL as LABEL } from '@kumo/contract';

/** The suffix instance `index` of `count` gets ('' for a single instance). */
function suffix(index: number, count: number): string {
  return count > 1 ? `-${index}` : '';
}

/** Refuses a requested hostname that is not a label, or would not be one with the largest suffix. */
export function checkRequestedHostname(hostname: string, count: number): void {
  const longest = `${hostname.toLowerCase()}${suffix(count, count)}`;
  if (!LABEL.test(hostname.toLowerCase()))
    throw Errors.invalidParameter(
      'InstanceSpec.Hostname',
      'letters, digits and "-", not at either end, at most 63',
    );
  if (!LABEL.test(longest))
    throw Errors.invalidParameter(
      'InstanceSpec.Hostname',
      `with the "-${count}" suffix it exceeds 63 characters`,
    );
}

/**
 * The hostname of instance `index` (1-based) of `count`: the requested one with its suffix, else
 * one made from the instance name (lower case, other characters as '-', no '-' at either end,
 * short enough for the suffix), else the instance id.
 */
export function hostnameFor(o: {
  requested?: string;
  name: string;
  id: string;
  index: number;
  count: number;
}): string {
  const sfx = suffix(o.index, o.count);
  if (o.requested) return `${o.requested.toLowerCase()}${sfx}`;
  const base = o.name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63 - sfx.length)
    .replace(/-+$/, '');
  const candidate = `${base}${sfx}`;
  return base && LABEL.test(candidate) ? candidate : o.id;
}
