import { isIPv6 } from 'node:net';

/**
 * The address a client is counted under by rate limits and login throttles. IPv4 as is (also when mapped into IPv6);
 * IPv6 as its /64 network, since one subscriber usually holds a whole /64 and could otherwise step past any per-address
 * limit by changing its interface id.
 */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The client address as a record keeps it (audit rows, an API token's last use): IPv4-mapped IPv6 as IPv4, IPv6 whole.
 */
export function recordedAddress(ip: string | undefined): string | null {
  if (!ip) return null;
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
}
