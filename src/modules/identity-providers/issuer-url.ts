import { isIP } from 'node:net';
import { AppError } from '../../core/errors.js';

/** Whether a URL's host is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** An issuer must be https; plain http only on loopback (local and test providers) unless `allowHttp`. */
export function checkIssuer(issuer: string, allowHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw AppError.validation('issuer', 'must be an absolute URL');
  }
  if (url.username || url.password || url.search || url.hash)
    throw AppError.validation('issuer', 'must not carry credentials, a query or a fragment');
  if (url.protocol === 'http:' && !allowHttp && !isLoopbackHost(url.hostname)) {
    throw AppError.validation('issuer', 'must use https (http is accepted on loopback only)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw AppError.validation('issuer', 'must use https');
  return issuer.replace(/\/+$/, '');
}
