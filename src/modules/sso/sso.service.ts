import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import type { Clock } from '../../core/clock.js';
import { Organization } from '../../db/organization.entity.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AuthPayload } from '../auth/auth.inputs.js';
import { IdentityProvider } from '../identity-providers/identity-provider.entity.js';
import type { IdentityProviderService } from '../identity-providers/identity-provider.service.js';
import { isLoopbackHost } from '../identity-providers/issuer-url.js';
import { User, normalizeEmail } from '../users/user.entity.js';
import { openId, type OpenIdConfiguration } from './openid.js';
import { SsoLogin } from './sso-login.entity.js';
import { recordAudit, type RequestOrigin } from '../audit/audit-record.js';

/** How long the provider may take between the redirect and the callback. */
const REQUEST_TTL_MS = 10 * 60_000;
/** How long the console has to exchange its one-time code. */
export const CODE_TTL_MS = 60_000;
/** How long a provider's discovery document is reused. */
const DISCOVERY_TTL_MS = 10 * 60_000;
const DISCOVERY_TIMEOUT_SECONDS = 10;
const SHORT_SECRET = /^[A-Za-z0-9_-]{16,200}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** What a provider's ID token says about the person, as far as Argus uses it. */
export interface SsoIdentity {
  subject: string;
  email: string;
  emailVerified: unknown;
  name?: string;
  groups: string[];
}

/**
 * OpenID Connect sign-in: the authorization code flow with PKCE, `state` and `nonce` (openid-client checks the ID
 * token's signature, issuer, audience, expiry and nonce), then Argus's own rules (email domain, tenancy, disabled
 * users, roles from groups, just-in-time users), and a one-time code the console exchanges for the usual tokens.
 */
export class SsoService {
  private readonly discoveries = new Map<string, { configuration: Promise<OpenIdConfiguration>; until: number }>();

  constructor(
    private readonly providers: IdentityProviderService,
    private readonly auth: AuthService,
    private readonly clock: Clock,
    private readonly allowHttpIssuer: boolean,
  ) {}

  /**
   * The provider's authorization URL for the organization with this slug; the request is remembered for the callback.
   */
  async start(em: EntityManager, slug: string, redirectUri: string): Promise<string> {
    const organization = /^[a-z0-9-]{1,40}$/.test(slug) ? await em.findOne(Organization, { slug }) : null;
    const provider = organization
      ? await em.findOne(
          IdentityProvider,
          { organization: organization.id },
          { filters: false, populate: ['clientSecretSealed'] },
        )
      : null;
    if (!organization || !provider) throw AppError.notFound('organization with single sign-on');
    const oidc = await openId();
    const configuration = await this.configuration(provider);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    em.create(SsoLogin, {
      organization,
      stateHash: sha256(state),
      nonce,
      codeVerifier,
      redirectUri,
      expiresAt: new Date(this.clock.now().getTime() + REQUEST_TTL_MS),
    });
    await em.flush();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return url.href;
  }

  /**
   * The provider's redirect back: the request it answers is claimed (once), the code is redeemed and the ID token
   * checked, the person admitted; the answer is a one-time code for the console.
   */
  async callback(em: EntityManager, callbackUrl: URL, origin: RequestOrigin): Promise<string> {
    const outcome: { organizationId: string | null; userId: string | null } = { organizationId: null, userId: null };
    let code: string;
    try {
      code = await this.redeem(em, callbackUrl, outcome);
    } catch (error) {
      // The refusal is what the caller gets, even if its audit row cannot be written.
      await recordAudit(
        em,
        { ...audited(outcome), outcome: 'failure', errorCode: error instanceof AppError ? error.code : 'INTERNAL' },
        origin,
      ).catch(() => undefined);
      throw error;
    }
    await recordAudit(em, { ...audited(outcome), outcome: 'success', errorCode: null }, origin);
    return code;
  }

  private async redeem(
    em: EntityManager,
    callbackUrl: URL,
    outcome: { organizationId: string | null; userId: string | null },
  ): Promise<string> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    if (!SHORT_SECRET.test(state)) throw AppError.unauthenticated('Unknown or expired sign-in request (state)');
    const [login] = await em
      .getConnection()
      .execute<
        Array<{ id: string; organization_id: string; nonce: string; code_verifier: string; redirect_uri: string }>
      >(
        `update sso_logins set state_used_at = now() where state_hash = ? and state_used_at is null and expires_at > ?
       returning id, organization_id, nonce, code_verifier, redirect_uri`,
        [sha256(state), this.clock.now()],
      );
    if (!login) throw AppError.unauthenticated('Unknown or expired sign-in request (state)');
    outcome.organizationId = login.organization_id;
    const provider = await em.findOneOrFail(
      IdentityProvider,
      { organization: login.organization_id },
      { filters: false, populate: ['clientSecretSealed'] },
    );
    const oidc = await openId();
    const configuration = await this.configuration(provider);
    // The callback URL as the provider was told it: the path and query this request arrived with, on the registered
    // origin.
    const current = new URL(login.redirect_uri);
    current.search = callbackUrl.search;
    let identity: SsoIdentity;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      identity = identityOf(tokens.claims(), provider.groupsClaim);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw AppError.unauthenticated(`The identity provider's answer was refused: ${describe(error)}`);
    }
    const code = `sso_${randomBytes(32).toString('base64url')}`;
    // The user's changes (created, linked, new role) and the code commit together.
    outcome.userId = await em.transactional(async (tem) => {
      const user = await this.admit(tem, provider, identity);
      await tem
        .getConnection()
        .execute(
          'update sso_logins set user_id = ?, code_hash = ?, code_expires_at = ? where id = ?',
          [user.id, sha256(code), new Date(this.clock.now().getTime() + CODE_TTL_MS), login.id],
          'run',
          tem.getTransactionContext(),
        );
      return user.id;
    });
    return code;
  }

  /** The one-time code from the callback, for the same tokens a password sign-in gives. It works once, for 60 s. */
  async exchange(em: EntityManager, code: string): Promise<AuthPayload> {
    const refused = () => AppError.unauthenticated('The sign-in code is invalid, used or expired');
    if (!/^sso_[A-Za-z0-9_-]{43}$/.test(code)) throw refused();
    const [claimed] = await em
      .getConnection()
      .execute<Array<{ user_id: string }>>(
        `update sso_logins set code_used_at = now() where code_hash = ? and code_used_at is null and code_expires_at > ? returning user_id`,
        [sha256(code), this.clock.now()],
      );
    if (!claimed) throw refused();
    const user = await em.findOne(User, { id: claimed.user_id }, { filters: false });
    if (!user) throw refused();
    return this.auth.signInAs(em, user);
  }

  /** Sign-ins finished or abandoned a day ago and more: nothing in them is usable any longer. */
  async pruneExpired(em: EntityManager): Promise<void> {
    await em.getConnection().execute("delete from sso_logins where expires_at < now() - interval '1 day'");
  }

  /**
   * The organization whose identity provider alone allows this email's domain (the console's "email domain" lookup).
   */
  async discover(em: EntityManager, email: string): Promise<Organization> {
    if (email.length > 254 || !/^[^@\s]+@[^@\s]+$/.test(email))
      throw AppError.validation('email', 'must be an email address');
    const domain = normalizeEmail(email).split('@').pop() ?? '';
    const providers = await em.find(
      IdentityProvider,
      { allowedDomains: { $contains: [domain] } },
      { filters: false, populate: ['organization'], limit: 2 },
    );
    if (providers.length !== 1) throw AppError.notFound('organization with single sign-on for this email domain');
    return providers[0].organization;
  }

  /** Argus's rules for a person the provider vouched for: the user to sign in, created or updated. */
  private async admit(em: EntityManager, provider: IdentityProvider, identity: SsoIdentity): Promise<User> {
    if (identity.emailVerified === false)
      throw AppError.forbidden('The identity provider has not verified this email address');
    const domain = identity.email.split('@')[1];
    if (provider.allowedDomains.length && !provider.allowedDomains.includes(domain)) {
      throw AppError.forbidden(`Sign-in from the email domain ${domain} is not allowed for this organization`);
    }
    const role = roleForGroups(provider, identity.groups);
    const organizationId = provider.organization.id;
    // An email has one account across the installation (a row with a password, or one linked to a provider); besides
    // it, invitations may wait in several organizations. Only this organization's row may be signed in.
    const elsewhere = await em.count(
      User,
      {
        email: identity.email,
        organization: { $ne: organizationId },
        $or: [{ passwordHash: { $ne: null } }, { ssoSubject: { $ne: null } }],
      },
      { filters: false },
    );
    if (elsewhere) throw AppError.forbidden('This account belongs to another organization');
    const existing = await em.findOne(
      User,
      { email: identity.email, organization: organizationId },
      { filters: false },
    );
    if (existing) {
      if (existing.disabled) throw AppError.forbidden('This account is disabled');
      if (existing.ssoSubject && existing.ssoSubject !== identity.subject) {
        throw AppError.forbidden('This account is linked to another identity at the provider');
      }
      existing.ssoSubject = identity.subject;
      existing.invitationTokenHash = null;
      existing.invitationExpiresAt = null;
      // Owners are named in Argus: groups never change an owner's role.
      if (existing.role !== Role.owner && existing.role !== role) {
        existing.role = role;
        existing.tokenVersion += 1;
      }
      await em.flush();
      return existing;
    }
    if (!provider.jitProvisioning)
      throw AppError.forbidden(
        'No Argus account has this email, and this organization does not create accounts at sign-in',
      );
    const user = em.create(User, {
      organization: em.getReference(Organization, organizationId),
      email: identity.email,
      name: (identity.name ?? identity.email).slice(0, 120),
      role,
      ssoSubject: identity.subject,
    });
    await em.flush();
    return user;
  }

  /** The provider's discovery document and client, reused for a while (until the provider is changed). */
  private async configuration(provider: IdentityProvider): Promise<OpenIdConfiguration> {
    const key = `${provider.id}:${provider.updatedAt.getTime()}`;
    const now = Date.now();
    const cached = this.discoveries.get(key);
    if (cached && cached.until > now) return cached.configuration;
    const configuration = this.fetchConfiguration(provider);
    this.discoveries.set(key, { configuration, until: now + DISCOVERY_TTL_MS });
    configuration.catch(() => this.discoveries.delete(key));
    return configuration;
  }

  private async fetchConfiguration(provider: IdentityProvider): Promise<OpenIdConfiguration> {
    const oidc = await openId();
    const issuer = new URL(provider.issuer);
    const insecure = issuer.protocol === 'http:';
    if (insecure && !this.allowHttpIssuer && !isLoopbackHost(issuer.hostname)) {
      throw AppError.forbidden("The identity provider's issuer must use https");
    }
    try {
      // enableNonRepudiationChecks: the ID token's signature is verified against the provider's JWKS even though it
      // came straight from the token endpoint (which the specification would let a client skip).
      return await oidc.discovery(
        issuer,
        provider.clientId,
        undefined,
        oidc.ClientSecretBasic(this.providers.clientSecretOf(provider)),
        {
          execute: [...(insecure ? [oidc.allowInsecureRequests] : []), oidc.enableNonRepudiationChecks],
          timeout: DISCOVERY_TIMEOUT_SECONDS,
        },
      );
    } catch (error) {
      throw new AppError(
        'IDENTITY_PROVIDER_UNAVAILABLE',
        `The identity provider could not be reached or described itself wrongly: ${describe(error)}`,
      );
    }
  }
}

/** The audit row of a callback: the organization and user it reached, under the action `ssoSignIn`. */
function audited(outcome: { organizationId: string | null; userId: string | null }) {
  return {
    organizationId: outcome.organizationId,
    actorId: outcome.userId,
    action: 'ssoSignIn',
    recordType: outcome.userId ? 'User' : null,
    recordId: outcome.userId,
  };
}

/** The highest role any of the user's groups maps to; the provider's default role when none is mapped. */
export function roleForGroups(provider: Pick<IdentityProvider, 'roleMapping' | 'defaultRole'>, groups: string[]): Role {
  let role: Role | undefined;
  for (const group of groups) {
    const mapped = provider.roleMapping[group];
    if (mapped && mapped !== Role.owner && (!role || !roleAtLeast(role, mapped))) role = mapped;
  }
  return role ?? provider.defaultRole;
}

function identityOf(claims: Record<string, unknown> | undefined, groupsClaim: string): SsoIdentity {
  if (!claims || typeof claims.sub !== 'string')
    throw AppError.unauthenticated('The identity provider sent no ID token');
  if (typeof claims.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(claims.email) || claims.email.length > 254) {
    throw AppError.unauthenticated('The ID token carries no email address');
  }
  const raw = claims[groupsClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === 'string')
    : typeof raw === 'string'
      ? [raw]
      : [];
  return {
    subject: claims.sub,
    email: normalizeEmail(claims.email),
    emailVerified: claims.email_verified,
    name: typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : undefined,
    groups,
  };
}

/** A library error's message, bounded (openid-client's messages name the check that failed, never a secret). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : 'unknown error';
  return message.replace(/\s+/g, ' ').slice(0, 200);
}
