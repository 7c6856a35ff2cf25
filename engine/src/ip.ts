/**
 * IP addresses and CIDR ranges as IAM's IpAddress operators take them (203.0.113.0/24,
 * 2001:db8::/32; a bare address is a /32 or /128): parsed to numbers, so a range's network
 * address and whether it is private can be worked out.
 */

export interface Cidr {
  version: 4 | 6;
  /** The address as written, host bits included. */
  address: bigint;
  /** The prefix length; 32 or 128 when none was written. */
  prefix: number;
  /** Whether a prefix length was written. */
  explicitPrefix: boolean;
}

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => IPV4_PART.test(part))) return undefined;
  return parts.reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An IPv4 address in the last 32 bits (::ffff:192.0.2.1).
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const split = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = split(halves[0]);
  const right = halves.length === 2 ? split(halves[1]) : [];
  if (![...left, ...right].every((hextet) => HEXTET.test(hextet))) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const hextets = [...left, ...new Array<string>(missing).fill('0'), ...right];
  let value = hextets.reduce((sum, hextet) => (sum << 16n) | BigInt(parseInt(hextet, 16)), 0n);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** A range or address IAM's IpAddress operators take, or undefined. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const version = addressText.includes(':') ? 6 : 4;
  const address = version === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
  if (address === undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { version, address, prefix, explicitPrefix: prefixText !== undefined };
}

function bitsOf(cidr: Cidr): number {
  return cidr.version === 4 ? 32 : 128;
}

function hostMask(cidr: Cidr): bigint {
  return (1n << BigInt(bitsOf(cidr) - cidr.prefix)) - 1n;
}

/** Whether bits after the prefix are set (203.0.113.5/24): IAM ignores them. */
export function hasHostBits(cidr: Cidr): boolean {
  return (cidr.address & hostMask(cidr)) !== 0n;
}

/** The range written with its network address (203.0.113.5/24 → 203.0.113.0/24). */
export function networkText(cidr: Cidr): string {
  const network = cidr.address & ~hostMask(cidr);
  return `${formatAddress(cidr.version, network)}/${cidr.prefix}`;
}

function formatAddress(version: 4 | 6, address: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 0xffn)).join('.');
  const hextets = Array.from({ length: 8 }, (_, index) => Number((address >> BigInt(112 - 16 * index)) & 0xffffn));
  // The longest run of two or more zero hextets becomes "::" (RFC 5952).
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && hextets[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
  }
  const text = hextets.map((hextet) => hextet.toString(16));
  if (bestStart < 0) return text.join(':');
  return `${text.slice(0, bestStart).join(':')}::${text.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Address blocks that never appear as a request's public source address: private networks
 * (RFC 1918, RFC 6598 shared space, RFC 4193 unique local), loopback and link-local. AWS:
 * "aws:SourceIp ... can only be used for public IP address ranges" (AWS global condition keys);
 * requests from a VPC carry aws:VpcSourceIp instead.
 */
const PRIVATE_BLOCKS: Cidr[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].map((text) => parseCidr(text)!);

/** Whether the whole range lies in private, loopback or link-local address space. */
export function isPrivate(cidr: Cidr): boolean {
  return PRIVATE_BLOCKS.some(
    (block) => block.version === cidr.version && block.prefix <= cidr.prefix && (cidr.address ^ block.address) >> BigInt(bitsOf(block) - block.prefix) === 0n,
  );
}

/**
 * Whether a request's address (`10.1.2.3`) is in a policy's range (`10.0.0.0/8`, or one
 * address), as the simulator's IpAddress compares them; false for anything malformed and across
 * versions.
 */
export function addressInRange(address: string, range: string): boolean {
  const candidate = parseCidr(address.trim());
  const block = parseCidr(range.trim());
  if (candidate === undefined || block === undefined || candidate.explicitPrefix || candidate.version !== block.version) return false;
  const shift = BigInt(bitsOf(block) - block.prefix);
  return candidate.address >> shift === block.address >> shift;
}
