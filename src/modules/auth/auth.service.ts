import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../graphql/errors.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { TokenService, hashRefreshToken } from '../../auth/tokens.js';
import { Role } from '../../auth/roles.js';
import { Organization } from '../organizations/organization.entity.js';
import { User, normalizeEmail } from '../users/user.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { LoginThrottle } from './login-throttle.entity.js';
import type { AcceptInvitationInput, AuthPayload, LoginInput, RefreshInput, SignupInput } from './auth.inputs.js';

/** After this many consecutive failures an account is blocked, doubling from 1 s up to 15 min. */
const FREE_FAILURES = 5;
const MAX_BLOCK_MS = 15 * 60_000;
const BAD_CREDENTIALS = 'Invalid email or password';

/** Sign-up, login, refresh-token rotation with reuse detection, logout. Works without a tenant context. */
export class AuthService {
  constructor(private readonly tokens: TokenService) {}

  async signup(em: EntityManager, input: SignupInput): Promise<AuthPayload> {
    const email = normalizeEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    const user = await em.transactional(async (tem) => {
      if (await tem.count(User, { email }, { filters: false })) {
        throw AppError.conflict('A user with this email already exists', [{ field: 'email', message: 'is already registered' }]);
      }
      const organization = tem.create(Organization, { name: input.organizationName });
      return tem.create(User, { organization, email, name: input.name, role: Role.owner, passwordHash });
    });
    return this.issue(em, user, randomUUID());
  }

  async login(em: EntityManager, input: LoginInput): Promise<AuthPayload> {
    const accountKey = normalizeEmail(input.email);
    await this.assertNotThrottled(em, accountKey);
    const user = await em.findOne(User, { email: accountKey }, { filters: false, populate: ['passwordHash'] });
    const ok = await verifyPassword(user?.passwordHash, input.password);
    if (!user || !ok) {
      await this.recordFailure(em, accountKey);
      throw AppError.unauthenticated(BAD_CREDENTIALS);
    }
    await em.nativeDelete(LoginThrottle, { accountKey });
    return this.issue(em, user, randomUUID());
  }

  async acceptInvitation(em: EntityManager, input: AcceptInvitationInput): Promise<AuthPayload> {
    const user = await em.findOne(User, { invitationTokenHash: hashRefreshToken(input.invitationToken) }, { filters: false });
    if (!user || !user.invitationExpiresAt || user.invitationExpiresAt < new Date()) {
      throw AppError.unauthenticated('The invitation is invalid or has expired');
    }
    user.passwordHash = await hashPassword(input.password);
    user.invitationTokenHash = null;
    user.invitationExpiresAt = null;
    await em.flush();
    return this.issue(em, user, randomUUID());
  }

  /**
   * Rotation: each refresh token works once. Presenting one that was already used means it leaked; the whole family
   * is revoked, so the thief's and the owner's sessions both end.
   */
  async refresh(em: EntityManager, input: RefreshInput): Promise<AuthPayload> {
    const outcome = await em.transactional(async (tem) => {
      const token = await tem.findOne(RefreshToken, { tokenHash: hashRefreshToken(input.refreshToken) }, { populate: ['user'], filters: false, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!token || token.revokedAt || token.expiresAt < new Date()) return { error: 'Invalid refresh token' };
      if (token.usedAt) {
        await tem.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: new Date() });
        return { error: 'Refresh token reuse detected; this session has been revoked' };
      }
      token.usedAt = new Date();
      return { payload: await this.issue(tem as EntityManager, token.user, token.familyId) };
    });
    // Thrown after the commit, so that the revocation of a reused family is kept.
    if (outcome.error) throw AppError.unauthenticated(outcome.error);
    return outcome.payload!;
  }

  async logout(em: EntityManager, input: RefreshInput): Promise<boolean> {
    const token = await em.findOne(RefreshToken, { tokenHash: hashRefreshToken(input.refreshToken) }, { filters: false });
    if (token) await em.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: new Date() });
    return true;
  }

  private async issue(em: EntityManager, user: User, familyId: string): Promise<AuthPayload> {
    const refresh = this.tokens.newRefreshToken();
    em.create(RefreshToken, { user, familyId, tokenHash: refresh.hash, expiresAt: refresh.expiresAt });
    await em.flush();
    return {
      accessToken: this.tokens.signAccess({ sub: user.id, org: user.organization.id, ver: user.tokenVersion }),
      refreshToken: refresh.token,
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTtlSeconds,
      user,
    };
  }

  private async assertNotThrottled(em: EntityManager, accountKey: string): Promise<void> {
    const throttle = await em.findOne(LoginThrottle, { accountKey });
    const wait = throttle?.blockedUntil ? throttle.blockedUntil.getTime() - Date.now() : 0;
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError('RATE_LIMITED', `Too many failed logins; try again in ${seconds} s`, undefined, { 'Retry-After': String(seconds) });
    }
  }

  /** One atomic upsert, so concurrent failures are all counted. */
  private async recordFailure(em: EntityManager, accountKey: string): Promise<void> {
    await em.getConnection().execute(
      `insert into login_throttles (account_key, failures, last_failure_at, blocked_until) values (?, 1, now(), null)
       on conflict (account_key) do update set
         failures = login_throttles.failures + 1,
         last_failure_at = now(),
         blocked_until = case when login_throttles.failures + 1 >= ?
           then now() + least(interval '1 millisecond' * ?, interval '1 second' * power(2, login_throttles.failures + 1 - ?))
           else null end`,
      [accountKey, FREE_FAILURES, MAX_BLOCK_MS, FREE_FAILURES],
    );
  }
}
