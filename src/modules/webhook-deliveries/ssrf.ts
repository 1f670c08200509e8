import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';

/** Never reachable, whatever the operator allows: link-local and cloud metadata endpoints. */
const ALWAYS_BLOCKED = new BlockList();
ALWAYS_BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4');
ALWAYS_BLOCKED.addSubnet('fe80::', 10, 'ipv6');
ALWAYS_BLOCKED.addAddress('100.100.100.200', 'ipv4');
ALWAYS_BLOCKED.addAddress('fd00:ec2::254', 'ipv6');
ALWAYS_BLOCKED.addSubnet('0.0.0.0', 8, 'ipv4');
ALWAYS_BLOCKED.addAddress('::', 'ipv6');

/** Internal ranges: refused unless the operator lists them in ARGUS_WEBHOOK_ALLOW_HOSTS. */
const INTERNAL = new BlockList();
INTERNAL.addSubnet('127.0.0.0', 8, 'ipv4');
INTERNAL.addSubnet('10.0.0.0', 8, 'ipv4');
INTERNAL.addSubnet('172.16.0.0', 12, 'ipv4');
INTERNAL.addSubnet('192.168.0.0', 16, 'ipv4');
INTERNAL.addSubnet('100.64.0.0', 10, 'ipv4');
INTERNAL.addSubnet('198.18.0.0', 15, 'ipv4');
INTERNAL.addAddress('::1', 'ipv6');
INTERNAL.addSubnet('fc00::', 7, 'ipv6');

export class SsrfError extends Error {}

/**
 * Decides which webhook targets Argus may connect to. Checked when a rule is saved and again on every connection,
 * against the address actually dialled (so a name that later resolves elsewhere — DNS rebinding — is caught).
 */
export class TargetPolicy {
  private readonly allowedHosts = new Set<string>();
  private readonly allowedRanges = new BlockList();

  /** `allow`: comma-separated host names, addresses or CIDRs, e.g. "127.0.0.1,hooks.internal,10.1.0.0/16". */
  constructor(allow = '') {
    for (const entry of allow
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)) {
      const [address, bits] = entry.split('/');
      const family = isIP(address);
      if (family && bits !== undefined)
        this.allowedRanges.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.allowedRanges.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
      else this.allowedHosts.add(entry);
    }
  }

  /** The URL's own shape: http(s), no credentials. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new SsrfError('must be an absolute http or https URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SsrfError('must use http or https');
    if (url.username || url.password) throw new SsrfError('must not contain credentials');
    return url;
  }

  /** Resolves the host and checks every address it has (at rule creation). */
  async check(raw: string): Promise<void> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveAll(host);
    for (const a of addresses) this.checkAddress(host, a.address);
  }

  /** Throws when a connection to `address` (resolved from `host`) is not allowed. */
  checkAddress(host: string, address: string): void {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    // An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged by what it carries.
    if (family === 'ipv6') for (const v4 of embeddedIPv4(address)) this.checkAddress(host, v4);
    if (family === 'ipv6' && embeddedIPv4(address).length) return;
    if (ALWAYS_BLOCKED.check(address, family))
      throw new SsrfError(`${host} resolves to ${address}, a link-local or metadata address`);
    if (!INTERNAL.check(address, family)) return;
    if (this.allowedHosts.has(host.toLowerCase()) || this.allowedRanges.check(address, family)) return;
    throw new SsrfError(
      `${host} resolves to ${address}, an internal address (allow it with ARGUS_WEBHOOK_ALLOW_HOSTS)`,
    );
  }

  /**
   * True for loopback and private addresses (and IPv6 forms that carry one), allowed or not: their answers stay unread.
   */
  isInternal(address: string): boolean {
    const family = isIP(address);
    if (!family) return true;
    const carried = family === 6 ? embeddedIPv4(address) : [];
    if (carried.length) return carried.some((v4) => this.isInternal(v4));
    return (
      INTERNAL.check(address, family === 6 ? 'ipv6' : 'ipv4') ||
      ALWAYS_BLOCKED.check(address, family === 6 ? 'ipv6' : 'ipv4')
    );
  }

  /** A `lookup` for node:http that only ever connects to allowed addresses. */
  guardedLookup() {
    return (
      hostname: string,
      options: object,
      callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
    ) => {
      resolveAll(hostname)
        .then((addresses) => {
          for (const a of addresses) this.checkAddress(hostname, a.address);
          const all = (options as { all?: boolean }).all;
          if (all) callback(null, addresses);
          else callback(null, addresses[0].address, addresses[0].family);
        })
        .catch((error: Error) => callback(error, ''));
    };
  }
}

async function resolveAll(host: string): Promise<LookupAddress[]> {
  try {
    return await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new SsrfError(`${host} does not resolve`);
  }
}

/** The 16 bytes of an IPv6 address (as isIP accepts it, zone index dropped); undefined when it is not one. */
export function ipv6Bytes(address: string): number[] | undefined {
  const plain = address.split('%')[0];
  if (isIP(plain) !== 6) return undefined;
  let text = plain.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1].split('.').map(Number));
    text = text.slice(0, -dotted[1].length) + '0:0';
  }
  const [head, rest] = text.split('::');
  const groups = (part: string | undefined) =>
    part
      ? part
          .split(':')
          .filter(Boolean)
          .map((g) => parseInt(g, 16))
      : [];
  const front = groups(head);
  const back = rest === undefined ? [] : groups(rest);
  const words =
    rest === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : undefined;
}

/**
 * The IPv4 addresses an IPv6 address embeds: IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), NAT64
 * (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32: server and client).
 */
export function embeddedIPv4(address: string): string[] {
  const b = ipv6Bytes(address);
  if (!b) return [];
  const v4 = (bytes: number[]) => bytes.join('.');
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return [v4(b.slice(12))];
  // ::/96 but not :: and ::1 (those are IPv6's own unspecified and loopback addresses, classified as such).
  if (zero(0, 12) && !zero(12, 16) && !(zero(12, 15) && b[15] === 1)) return [v4(b.slice(12))];
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && (zero(4, 12) || (b[4] === 0 && b[5] === 1)))
    return [v4(b.slice(12))];
  if (b[0] === 0x20 && b[1] === 0x02) return [v4(b.slice(2, 6))];
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0)
    return [v4(b.slice(4, 8)), v4(b.slice(12).map((x) => x ^ 0xff))];
  return [];
}
