/** Where a browser starts an organization's single sign-on (served by sso.route.ts). */
export function ssoStartPath(slug: string): string {
  return `/api/v1/auth/sso/${encodeURIComponent(slug)}/start`;
}

export const SSO_CALLBACK_PATH = '/api/v1/auth/sso/callback';
/** The console page that exchanges the one-time code. */
export const SSO_COMPLETE_PATH = '/sso/complete';
