// Validation shared by the vpc service's operations: names and address prefixes as JD words them.
import { Errors, NETWORK_NAME, NETWORK_NAME_RULE } from '@kumo/contract';
import { containsCidr, parseCidr, type Cidr } from '@kumo/store';

/** JD's private ranges: VPC and subnet prefixes must lie in one of them. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

/** JD's prefix length range for VPCs and subnets. */
export const PREFIX_LENGTHS = { min: 16, max: 28 } as const;

/** Checks a vpc/subnet/group name against JD's rule. */
export function checkName(field: string, value: string): string {
  if (!NETWORK_NAME.test(value)) throw Errors.invalidParameter(field, NETWORK_NAME_RULE);
  return value;
}

/** Parses a VPC or subnet prefix: canonical, /16–/28, inside JD's private ranges. */
export function checkPrefix(field: string, text: string): Cidr {
  const c = parseCidr(text);
  if (!c) {
    throw Errors.invalidAddressPrefix(field, 'must be an IPv4 prefix such as 10.0.0.0/16, without host bits');
  }
  if (c.length < PREFIX_LENGTHS.min || c.length > PREFIX_LENGTHS.max) {
    throw Errors.invalidAddressPrefix(
      field,
      `the mask length must be ${PREFIX_LENGTHS.min}-${PREFIX_LENGTHS.max}, got /${c.length}`,
    );
  }
  if (!PRIVATE.some((p) => containsCidr(p, c))) {
    throw Errors.invalidAddressPrefix(field, 'must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
  }
  return c;
}
