// A real OpenID provider (oidc-provider) for the single sign-on tests, run as a child process (it is an ES module).
// Configured by OIDC_TEST_CONFIG (JSON): { issuer, port, jwks, clients, accountsFile }. Accounts are read from
// accountsFile at every sign-in, so a test changes a user's groups by rewriting it. The login form takes any password.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const accounts = () => JSON.parse(readFileSync(config.accountsFile, 'utf8'));

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: config.jwks,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  conformIdTokenClaims: false,
  cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
  async findAccount(_ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: account.sub ?? id, ...account }) };
  },
  // First-party test clients: no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
});
provider.proxy = true;
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider server_error: ${error.stack}\n`));
const server = provider.listen(config.port, '127.0.0.1', () =>
  process.stdout.write(`listening ${server.address().port}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
