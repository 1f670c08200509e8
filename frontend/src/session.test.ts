import { describe, expect, it } from 'vitest';
import { apiUrl, memoryStorage, PASSWORD, signedUpSession } from './api-test-support';
import { ApiRequestError, Session } from './session';

const ME = '{"query":"{ me { email role } }"}';
const graphql = (session: Session) =>
  session.fetch(`${apiUrl()}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ME });

describe('the session: tokens and their refresh, against the real API', () => {
  it('signs in, and refuses a wrong password with the API’s error', async () => {
    const { email } = await signedUpSession();
    const session = new Session({ baseUrl: apiUrl(), storage: memoryStorage() });
    const error = await session.signIn(email, 'wrong password here').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as ApiRequestError).error.code).toBe('UNAUTHENTICATED');
    expect(session.current).toBeNull();
    const s = await session.signIn(email, PASSWORD);
    expect(s.user.email).toBe(email);
    expect(s.user.role).toBe('owner');
  });

  it('refreshes shortly before the access token expires, once for concurrent requests', async () => {
    let clock = Date.now();
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    const { session } = await signedUpSession({ now: () => clock, fetch: counting });
    const first = session.current!;
    calls.length = 0;
    expect((await (await graphql(session)).json()).data.me.role).toBe('owner');
    expect(calls.filter((c) => c.endsWith('/auth/refresh'))).toHaveLength(0);

    clock = first.expiresAt - 10_000;
    const answers = await Promise.all([graphql(session), graphql(session), graphql(session)]);
    for (const a of answers) expect((await a.json()).data.me.role).toBe('owner');
    // Three requests, one refresh: a rotated refresh token presented twice would revoke the whole family.
    expect(calls.filter((c) => c.endsWith('/auth/refresh'))).toHaveLength(1);
    expect(session.current!.refreshToken).not.toBe(first.refreshToken);
    expect(session.current!.expiresAt).toBeGreaterThan(first.expiresAt);
  });

  it('repeats a request the API refused as UNAUTHENTICATED after one refresh', async () => {
    const { session } = await signedUpSession();
    const storage = (session as unknown as { deps: { storage: Storage } }).deps.storage;
    const s = session.current!;
    storage.setItem('argus.session', JSON.stringify({ ...s, accessToken: 'forged' }));
    const answer = await (await graphql(session)).json();
    expect(answer.data.me.role).toBe('owner');
    expect(session.current!.accessToken).not.toBe('forged');
  });

  it('ends the session when the refresh token was revoked (sign-out elsewhere)', async () => {
    const { session } = await signedUpSession();
    const storage = (session as unknown as { deps: { storage: Storage } }).deps.storage;
    const s = session.current!;
    const other = new Session({ baseUrl: apiUrl(), storage: memoryStorage() });
    await other.post('/api/v1/auth/logout', { refresh_token: s.refreshToken });
    storage.setItem('argus.session', JSON.stringify({ ...s, accessToken: 'expired' }));
    let signedOut = 0;
    session.subscribe(() => signedOut++);
    const res = await graphql(session);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(session.current).toBeNull();
    expect(signedOut).toBeGreaterThan(0);
  });
});
