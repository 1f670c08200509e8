import type { components, paths } from './generated/rest';
import { fromResponse, type ApiError } from './errors';

export type AuthPayload = components['schemas']['AuthPayload'];
export type SessionUser = components['schemas']['User'];

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  user: SessionUser;
}

export interface SessionDeps {
  /** Where the API is: '' in the browser (same origin), an absolute URL in tests. */
  baseUrl: string;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  fetch?: typeof fetch;
  now?: () => number;
  /** Serialises refreshes across tabs (navigator.locks in browsers): a rotated refresh token is used once. */
  lock?: <T>(work: () => Promise<T>) => Promise<T>;
}

const KEY = 'argus.session';
/** Refresh this long before the access token expires. */
const EARLY_MS = 30_000;

type Op<P extends keyof paths> = NonNullable<paths[P]['post']>;
type JsonBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type JsonOk<O> = O extends { responses: { 200: { content: { 'application/json': infer R } } } }
  ? R
  : O extends { responses: { 201: { content: { 'application/json': infer R } } } }
    ? R
    : null;

export class ApiRequestError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/**
 * The signed-in state: the token pair in storage, refreshed shortly before the access token expires and again when
 * the API answers UNAUTHENTICATED (once per request). A refresh that fails ends the session.
 */
export class Session {
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<boolean> | null = null;
  private cached: { raw: string | null; value: StoredSession | null } = { raw: null, value: null };
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly deps: SessionDeps) {
    this.fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
    this.now = deps.now ?? Date.now;
  }

  /** The stored session (the same object until it changes, for useSyncExternalStore). */
  get current(): StoredSession | null {
    const raw = this.deps.storage.getItem(KEY);
    if (raw !== this.cached.raw) {
      let value: StoredSession | null = null;
      try {
        value = raw ? (JSON.parse(raw) as StoredSession) : null;
      } catch {
        value = null;
      }
      this.cached = { raw, value };
    }
    return this.cached.value;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Another tab changed the session. */
  changed(): void {
    this.listeners.forEach((l) => l());
  }

  establish(payload: AuthPayload): StoredSession {
    const value: StoredSession = {
      accessToken: payload.access_token,
      refreshToken: payload.refresh_token,
      expiresAt: this.now() + payload.expires_in * 1000,
      user: payload.user,
    };
    this.deps.storage.setItem(KEY, JSON.stringify(value));
    this.changed();
    return value;
  }

  clear(): void {
    this.deps.storage.removeItem(KEY);
    this.changed();
  }

  /** A POST to the REST API, typed by the OpenAPI document; an error answer throws ApiRequestError. */
  async post<P extends keyof paths>(path: P, body: JsonBody<Op<P>>, token?: string): Promise<JsonOk<Op<P>>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await this.fetchImpl(`${this.deps.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new ApiRequestError(await fromResponse(res));
    return (res.status === 204 ? null : await res.json()) as JsonOk<Op<P>>;
  }

  async signIn(email: string, password: string, mfaCode?: string): Promise<StoredSession> {
    return this.establish(
      await this.post('/api/v1/auth/login', { email, password, ...(mfaCode ? { mfa_code: mfaCode } : {}) }),
    );
  }

  /**
   * Sign-up answers alike whether the email is new or already has an account, and with no token: the new owner then
   * signs in. When that sign-in is refused the email had an account with another password.
   */
  async signUp(input: JsonBody<Op<'/api/v1/auth/signup'>>): Promise<StoredSession> {
    await this.post('/api/v1/auth/signup', input);
    try {
      return await this.signIn(input.email, input.password);
    } catch (e) {
      if (e instanceof ApiRequestError && e.error.code === 'UNAUTHENTICATED') {
        throw new ApiRequestError({
          code: 'UNAUTHENTICATED',
          message:
            'This email and password do not sign in. If the email already has an account, sign in with its password instead.',
          fields: {},
        });
      }
      throw e;
    }
  }

  /** The one-time code a single sign-on left in /sso/complete, for the same tokens a password sign-in gives. */
  async exchangeSsoCode(code: string): Promise<StoredSession> {
    return this.establish(await this.post('/api/v1/auth/sso/exchange', { code }));
  }

  async acceptInvitation(invitationToken: string, password: string): Promise<StoredSession> {
    return this.establish(
      await this.post('/api/v1/auth/accept-invitation', { invitation_token: invitationToken, password }),
    );
  }

  /** Revokes the refresh token (and its family) on the server, then forgets the session here. */
  async signOut(): Promise<void> {
    const s = this.current;
    this.clear();
    if (s) await this.post('/api/v1/auth/logout', { refresh_token: s.refreshToken }).catch(() => undefined);
  }

  /** A usable access token: refreshed first when it expires soon. Null when signed out. */
  async accessToken(): Promise<string | null> {
    const s = this.current;
    if (!s) return null;
    if (s.expiresAt - this.now() < EARLY_MS) await this.refresh(s.refreshToken);
    return this.current?.accessToken ?? null;
  }

  /**
   * Trades the refresh token for a new pair; concurrent callers share one request. `seen` is the refresh token the
   * caller found stale: when storage already holds another one (another tab refreshed), that one is used instead.
   */
  refresh(seen: string): Promise<boolean> {
    if (!this.refreshing) {
      const lock = this.deps.lock ?? ((work) => work());
      this.refreshing = lock(() => this.rotate(seen)).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async rotate(seen: string): Promise<boolean> {
    const s = this.current;
    if (!s) return false;
    if (s.refreshToken !== seen) return true;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.deps.baseUrl}/api/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: s.refreshToken }),
      });
    } catch {
      return false; // offline: keep the session, the next request tries again
    }
    if (!res.ok) {
      // Expired, revoked or reused: the session is over (a server error keeps it for another try).
      if (res.status < 500 && res.status !== 429) this.clear();
      return false;
    }
    this.establish((await res.json()) as AuthPayload);
    return true;
  }

  /** fetch with the bearer token; an UNAUTHENTICATED answer refreshes once and repeats the request. */
  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const send = async () => {
      const headers = new Headers(init.headers);
      const token = await this.accessToken();
      if (token) headers.set('authorization', `Bearer ${token}`);
      return this.fetchImpl(input, { ...init, headers });
    };
    const before = this.current?.refreshToken;
    const res = await send();
    if (!before || !(await isUnauthenticated(res))) return res;
    return (await this.refresh(this.current?.refreshToken ?? before)) ? send() : res;
  };
}

async function isUnauthenticated(res: Response): Promise<boolean> {
  if (res.status === 401) return true;
  if (!(res.headers.get('content-type') ?? '').includes('json')) return false;
  try {
    const body = (await res.clone().json()) as { errors?: { extensions?: { code?: unknown } }[] };
    return !!body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  } catch {
    return false;
  }
}
