import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };

export type OpenId = typeof OpenIdClient;
export type OpenIdConfiguration = OpenIdClient.Configuration;

let loaded: Promise<OpenId> | undefined;

/** openid-client (an ES module), loaded on the first single sign-on. */
export function openId(): Promise<OpenId> {
  loaded ??= import('openid-client');
  return loaded;
}
