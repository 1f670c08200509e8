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
    for (const entry of allow.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
      const [address, bits] = entry.split('/');
      const family = isIP(address);
      if (family && bits !== undefined) this.allowedRanges.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
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
    const mapped = family === 'ipv6' && address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : undefined;
    if (mapped && isIP(mapped) === 4) return this.checkAddress(host, mapped);
    if (ALWAYS_BLOCKED.check(address, family)) throw new SsrfError(`${host} resolves to ${address}, a link-local or metadata address`);
    if (!INTERNAL.check(address, family)) return;
    if (this.allowedHosts.has(host.toLowerCase()) || this.allowedRanges.check(address, family)) return;
    throw new SsrfError(`${host} resolves to ${address}, an internal address (allow it with ARGUS_WEBHOOK_ALLOW_HOSTS)`);
  }

  /** A `lookup` for node:http that only ever connects to allowed addresses. */
  guardedLookup() {
    return (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
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
