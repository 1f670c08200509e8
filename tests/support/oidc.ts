import { ChildProcess, spawn } from 'node:child_process';
import { KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestAccount {
  email: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  sub?: string;
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

/** Rewrites the ID token of the next token responses (claims changed, re-signed with the provider's key or another). */
export type IdTokenTamper = (claims: Record<string, unknown>) => {
  claims: Record<string, unknown>;
  key?: 'provider' | 'foreign';
};

export interface TestOidcProvider {
  issuer: string;
  setAccounts(accounts: Record<string, TestAccount>): void;
  tamper: IdTokenTamper | null;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider 9, tests/support/oidc-provider.mjs) in a child process, behind a loopback
 * proxy in this process whose address is the issuer. The proxy passes everything through, except that a test may
 * rewrite the ID token of a token response (tamper), re-signed with the provider's own key (a wrong audience, an
 * expired token, another nonce) or with a foreign key (a forged token).
 */
export async function startOidcProvider(
  clients: TestClient[],
  accounts: Record<string, TestAccount>,
): Promise<TestOidcProvider> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-oidc-'));
  const accountsFile = join(dir, 'accounts.json');
  const setAccounts = (next: Record<string, TestAccount>) => writeFileSync(accountsFile, JSON.stringify(next));
  setAccounts(accounts);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

  const state: { tamper: IdTokenTamper | null; target: number } = { tamper: null, target: 0 };
  const proxy: Server = createServer((req, res) => void forward(req, res, state, privateKey, foreign));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: {
      ...process.env,
      OIDC_TEST_CONFIG: JSON.stringify({ issuer, port: 0, jwks: { keys: [jwk] }, clients, accountsFile }),
      NODE_OPTIONS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += String(chunk)));
  state.target = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      const match = /listening (\d+)/.exec(String(chunk));
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${errors}`)));
  });
  return {
    issuer,
    setAccounts,
    get tamper() {
      return state.tamper;
    },
    set tamper(value) {
      state.tamper = value;
    },
    async close() {
      child.kill('SIGTERM');
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  state: { tamper: IdTokenTamper | null; target: number },
  key: KeyObject,
  foreign: KeyObject,
) {
  const body = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
  const upstream = request(
    {
      host: '127.0.0.1',
      port: state.target,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'x-forwarded-host': req.headers.host, 'x-forwarded-proto': 'http' },
    },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        let out = Buffer.concat(chunks);
        const headers = { ...answer.headers };
        if (state.tamper && req.method === 'POST' && req.url?.startsWith('/token') && answer.statusCode === 200) {
          const json = JSON.parse(out.toString('utf8'));
          json.id_token = retoken(json.id_token, state.tamper, key, foreign);
          out = Buffer.from(JSON.stringify(json));
          delete headers['content-encoding'];
        }
        delete headers['transfer-encoding'];
        headers['content-length'] = String(out.length);
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(out);
      });
    },
  );
  upstream.on('error', () => {
    res.writeHead(502).end();
  });
  upstream.end(body);
}

function retoken(idToken: string, tamper: IdTokenTamper, key: KeyObject, foreign: KeyObject): string {
  const [header, payload] = idToken.split('.');
  const changed = tamper(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  const signingInput = `${header}.${Buffer.from(JSON.stringify(changed.claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput), changed.key === 'foreign' ? foreign : key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export interface SsoRun {
  /** The console address the callback redirected to (with `code` or `error`), when it did. */
  complete?: URL;
  /** The last answer when the flow stopped elsewhere (an error from Argus's callback or start). */
  status: number;
  body?: any;
}

/**
 * A person signing in through the provider, driven over HTTP as a browser would (cookies, redirects, the login form):
 * from Argus's start address to wherever the flow ends. `beforeCallback` may change the callback address.
 */
export async function signInThroughProvider(
  startUrl: string,
  login: string,
  options: { beforeCallback?: (url: URL) => URL } = {},
): Promise<SsoRun> {
  const cookies = new Map<string, string>();
  let url = new URL(startUrl);
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.pathname.endsWith('/api/v1/auth/sso/callback') && options.beforeCallback) url = options.beforeCallback(url);
    const cookie = [...cookies.entries()]
      .filter(([k]) => k.startsWith(`${url.host}|`))
      .map(([k, v]) => `${k.split('|')[1]}=${v}`)
      .join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      cookies.set(`${url.host}|${pair.slice(0, i)}`, pair.slice(i + 1));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.pathname === '/sso/complete') return { complete: next, status: response.status };
      url = next;
      method = 'GET';
      body = undefined;
      continue;
    }
    const text = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(text);
    if (response.status === 200 && form) {
      const fields = new URLSearchParams();
      for (const input of text.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi))
        fields.set(input[1], input[2]);
      if (/name="login"/.test(text)) fields.set('login', login);
      if (/name="password"/.test(text)) fields.set('password', 'any password');
      url = new URL(form[1].replace(/&amp;/g, '&'), url);
      method = 'POST';
      body = fields.toString();
      continue;
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed };
  }
  throw new Error('single sign-on did not finish in 20 steps');
}
