/**
 * IP addresses and CIDR ranges, as the IpAddress and NotIpAddress condition operators compare
 * them: IPv4 (`203.0.113.0/24`) or IPv6 (`2001:DB8:1234:5678::/64`); a policy value without a
 * prefix length is one address.
 */

interface Address {
  version: 4 | 6;
  value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail = '';
  const gap = text.indexOf('::');
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
  }
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let left = groups(head);
  let right = groups(tail);
  // An IPv4 address at the end (::ffff:192.0.2.1) is two groups.
  const last = (gap >= 0 ? right : left).at(-1);
  if (last !== undefined && last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    const extra = [((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16)];
    if (gap >= 0) right = [...right.slice(0, -1), ...extra];
    else left = [...left.slice(0, -1), ...extra];
  }
  const missing = 8 - left.length - right.length;
  if (gap < 0 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(gap < 0 ? 0 : missing).fill('0'), ...right];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

export function parseAddress(text: string): Address | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { version: 4, value };
}

/** Whether an address (`10.1.2.3`) is in a range (`10.0.0.0/8`, or one address); false for anything malformed. */
export function addressInRange(address: string, range: string): boolean {
  const slash = range.indexOf('/');
  const base = parseAddress(slash < 0 ? range : range.slice(0, slash));
  const candidate = parseAddress(address);
  if (base === undefined || candidate === undefined || base.version !== candidate.version) return false;
  const bits = base.version === 4 ? 32 : 128;
  const length = slash < 0 ? bits : /^\d{1,3}$/.test(range.slice(slash + 1)) ? Number(range.slice(slash + 1)) : NaN;
  if (!(length >= 0 && length <= bits)) return false;
  const shift = BigInt(bits - length);
  return base.value >> shift === candidate.value >> shift;
}
