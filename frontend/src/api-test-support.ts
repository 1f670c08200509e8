import { Session } from './session';

/** The real API the root test run starts for these tests (tests/frontend/components.test.ts). */
export function apiUrl(): string {
  const url = process.env.ARGUS_API_URL;
  if (!url)
    throw new Error(
      'ARGUS_API_URL is not set: run these tests through the root `npm test`, which starts the API for them',
    );
  return url;
}

export function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

export const PASSWORD = 'correct horse battery staple';

/** A new organization signed up through the API, and a Session holding its owner. */
export async function signedUpSession(options: { now?: () => number; fetch?: typeof fetch } = {}) {
  const session = new Session({ baseUrl: apiUrl(), storage: memoryStorage(), ...options });
  const email = `owner-${Math.random().toString(36).slice(2, 10)}@example.test`;
  await session.signUp({ email, password: PASSWORD, name: 'Component Tester', organization_name: `Org ${email}` });
  return { session, email };
}
