import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { TokenService, hashRefreshToken } from './tokens.js';
import { Role } from '../../core/roles.js';
import { Organization } from '../../db/organization.entity.js';
import { availableSlug } from '../organizations/slug.js';
import { IdentityProvider } from '../identity-providers/identity-provider.entity.js';
import { User, normalizeEmail } from '../users/user.entity.js';
import { RefreshToken, type SignInMethod } from './refresh-token.entity.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { LoginSource } from './login-source.entity.js';
import { hashRecoveryCode, isRecoveryCodeShape, newRecoveryCodes, newTotpSecret, totpUri, verifyTotp } from './totp.js';
import { clientAddress } from '../../core/client-address.js';
import type { Clock } from '../../core/clock.js';
import type { SignupMode } from '../../config/env.js';
import type {
  AcceptInvitationInput,
  AuthPayload,
  ChangePasswordInput,
  ConfirmMfaInput,
  DisableMfaInput,
  EnrollMfaInput,
  LoginInput,
  MfaEnrollment,
  MfaRecoveryCodes,
  RefreshInput,
  SignupAccepted,
  SignupInput,
} from './auth.inputs.js';

/**
 * Login throttles, each a count of recent failures under one key (docs/DECISIONS.md, Hardening). After `free`
 * failures the key is blocked for 1 s, doubling with each further failure up to `maxBlockMs`; a count older than
 * FAILURE_MEMORY starts over.
 * - pair: one account from one address. Cleared by a success from that address.
 * - address: every account from one address (credential stuffing). Never cleared by a success, which an attacker
 *   could produce with an account of their own.
 * - account: one account from everywhere (a botnet). Short, and a login from an address the account signed in from
 *   before skips it, so nobody can lock the owner out from elsewhere.
 */
export const LOGIN_THROTTLES = {
  pair: { free: 5, maxBlockMs: 15 * 60_000 },
  address: { free: 30, maxBlockMs: 15 * 60_000 },
  account: { free: 20, maxBlockMs: 60_000 },
} as const;
type ThrottleKind = keyof typeof LOGIN_THROTTLES;
const FAILURE_MEMORY = '1 hour';
/** How long an address stays known-good for an account after a successful sign-in. */
const KNOWN_SOURCE_DAYS = 90;
const BAD_CREDENTIALS = 'Invalid email or password';
const SIGNUP_MESSAGE =
  "Sign in with this email and password. If the email already had an account, nothing was created and only that account's own password signs in.";

/** Where a login comes from: the client address (as req.ip). */
export interface LoginOrigin {
  ip: string;
}

/**
 * Sign-up, login (throttled, with optional TOTP), refresh-token rotation with reuse detection, logout, password and MFA
 * changes.
 */
/**
 * Told of sessions ended here (logout, a reused refresh token), so that this process refuses their access tokens at
 * once.
 */
export interface SessionRevocations {
  revokeSessions(familyIds: string[]): void;
}

export class AuthService {
  constructor(
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly sessions?: SessionRevocations,
    private readonly signupMode: SignupMode = 'open',
  ) {}

  /**
   * Sign-up answers alike whether the email is new or already has an account (docs/DECISIONS.md, Sign-up and
   * invitations do not reveal accounts): with a new email the organization and its owner are created, with a taken one
   * nothing is, and the answer carries no token either way. The password is hashed in both cases, so the time taken
   * says little more than the answer.
   */
  async signup(em: EntityManager, input: SignupInput): Promise<SignupAccepted> {
    const createdUser = await this.createOwner(em, input);
    return { status: 'accepted', message: SIGNUP_MESSAGE, ...(createdUser ? { createdUser } : {}) };
  }

  /** The organization and its owner, or null when the email already has an account (the demo seed uses it directly). */
  async createOwner(em: EntityManager, input: SignupInput): Promise<User | null> {
    const email = normalizeEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    return em.transactional(async (tem) => {
      if (this.signupMode !== 'open') {
        // Only the first owner signs up on an installation that is not open; concurrent first sign-ups take turns.
        await tem.execute("select pg_advisory_xact_lock(hashtext('argus-signup-bootstrap'))");
        if (await tem.count(Organization, {}, { filters: false })) {
          throw AppError.forbidden(
            this.signupMode === 'invite'
              ? 'Sign-up is closed on this installation: ask an administrator for an invitation'
              : 'Sign-up is closed on this installation',
          );
        }
      }
      // Concurrent sign-ups with one email take turns, so the second sees the first's account and creates nothing.
      await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [`argus-account:${email}`]);
      if (
        await tem.count(
          User,
          { email, $or: [{ passwordHash: { $ne: null } }, { ssoSubject: { $ne: null } }] },
          { filters: false },
        )
      )
        return null;
      const organization = tem.create(Organization, {
        name: input.organizationName,
        slug: await availableSlug(tem, input.organizationName),
      });
      const user = tem.create(User, { organization, email, name: input.name, role: Role.owner, passwordHash });
      // Written now: the audit row that joins the mutation's transaction refers to the organization.
      await tem.flush();
      return user;
    });
  }

  async login(em: EntityManager, input: LoginInput, origin: LoginOrigin): Promise<AuthPayload> {
    const account = normalizeEmail(input.email);
    const address = clientAddress(origin.ip);
    const keys = throttleKeys(account, address);
    await this.assertNotThrottled(em, keys, account, address);
    const user = await em.findOne(
      User,
      { email: account, passwordHash: { $ne: null } },
      { filters: false, populate: ['passwordHash', 'mfaSecret', 'mfaLastTimeStep'] },
    );
    const ok = await verifyPassword(user?.passwordHash, input.password);
    if (!user || !ok) {
      await this.recordFailure(em, keys);
      throw AppError.unauthenticated(BAD_CREDENTIALS);
    }
    await this.assertPasswordSignInAllowed(em, user);
    if (user.mfaEnabled) {
      // The password was right: asking for the second factor tells the caller nothing it did not know.
      if (!input.mfaCode) {
        throw new AppError('UNAUTHENTICATED', 'This account needs a second factor: send mfa_code', [
          { field: 'mfaCode', message: 'is required' },
        ]);
      }
      if (!(await this.acceptSecondFactor(em, user, input.mfaCode))) {
        await this.recordFailure(em, keys);
        throw new AppError('UNAUTHENTICATED', 'Invalid or already used MFA code', [
          { field: 'mfaCode', message: 'is invalid or already used' },
        ]);
      }
    }
    await em.nativeDelete(LoginThrottle, { accountKey: keys.pair });
    await em.getConnection().execute(
      `insert into login_sources (account_key, address, last_success_at) values (?, ?, now())
       on conflict (account_key, address) do update set last_success_at = now()`,
      [account, address],
    );
    return this.issue(em, user, randomUUID());
  }

  /** A session for a user another way of signing in has admitted (single sign-on): the same pair a login gives. */
  async signInAs(em: EntityManager, user: User): Promise<AuthPayload> {
    if (user.disabled) throw AppError.forbidden('This account is disabled');
    return this.issue(em, user, randomUUID(), 'sso');
  }

  /**
   * After the password was checked: a disabled account, or a member of an organization that requires single sign-on
   * (other than its break-glass owner), is refused.
   */
  private async assertPasswordSignInAllowed(em: EntityManager, user: User): Promise<void> {
    if (user.disabled) throw AppError.forbidden('This account is disabled');
    if (await this.requiresSso(em, user))
      throw AppError.forbidden('This organization requires single sign-on: sign in with SSO');
  }

  /** Whether the user's organization requires single sign-on of them (everyone but its break-glass owner). */
  private async requiresSso(em: EntityManager, user: User): Promise<boolean> {
    const provider = await em.findOne(IdentityProvider, { organization: user.organization.id }, { filters: false });
    return !!provider?.ssoRequired && provider.breakGlassUser?.id !== user.id;
  }

  /**
   * A new password for the signed-in user, who proves the current one. Every access token issued before stops working
   * (the token version) and every refresh token is revoked, so a thief's sessions end; the caller gets a fresh pair.
   */
  async changePassword(em: EntityManager, userId: string, input: ChangePasswordInput): Promise<AuthPayload> {
    const user = await this.userWithSecrets(em, userId);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new AppError('UNAUTHENTICATED', 'The current password is wrong', [
        { field: 'currentPassword', message: 'is wrong' },
      ]);
    }
    user.passwordHash = await hashPassword(input.newPassword);
    user.tokenVersion += 1;
    await em.flush();
    await this.revokeAllSessions(em, user);
    return this.issue(em, user, randomUUID());
  }

  /** Step 1 of turning MFA on: a new secret, kept pending until a code from it is confirmed. */
  async enrollMfa(em: EntityManager, userId: string, input: EnrollMfaInput): Promise<MfaEnrollment> {
    const user = await this.userWithSecrets(em, userId);
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      throw new AppError('UNAUTHENTICATED', 'The password is wrong', [{ field: 'password', message: 'is wrong' }]);
    }
    if (user.mfaEnabled) throw AppError.conflict('MFA is already on; turn it off first to enrol another authenticator');
    const secret = await newTotpSecret();
    user.mfaPendingSecret = secret;
    await em.flush();
    return { secret, otpauthUri: await totpUri(secret, user.email) };
  }

  /** Step 2: a code from the new authenticator turns MFA on; the recovery codes are returned this once. */
  async confirmMfa(em: EntityManager, userId: string, input: ConfirmMfaInput): Promise<MfaRecoveryCodes> {
    const user = await this.userWithSecrets(em, userId);
    if (user.mfaEnabled) throw AppError.conflict('MFA is already on');
    if (!user.mfaPendingSecret) throw AppError.conflict('Enrol first: no authenticator is waiting for confirmation');
    const step = await verifyTotp(user.mfaPendingSecret, input.code, this.clock.now());
    if (step === undefined) throw AppError.validation('code', 'is not the current code of this secret');
    const codes = newRecoveryCodes();
    user.mfaSecret = user.mfaPendingSecret;
    user.mfaPendingSecret = null;
    user.mfaEnabled = true;
    user.mfaLastTimeStep = String(step);
    user.mfaRecoveryCodeHashes = codes.map(hashRecoveryCode);
    await em.flush();
    return { recoveryCodes: codes };
  }

  /** Turning MFA off needs the password and a second factor (a code or a recovery code). */
  async disableMfa(em: EntityManager, userId: string, input: DisableMfaInput): Promise<User> {
    const user = await this.userWithSecrets(em, userId);
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      throw new AppError('UNAUTHENTICATED', 'The password is wrong', [{ field: 'password', message: 'is wrong' }]);
    }
    if (!user.mfaEnabled) throw AppError.conflict('MFA is not on');
    if (!(await this.acceptSecondFactor(em, user, input.code))) {
      throw new AppError('UNAUTHENTICATED', 'Invalid or already used MFA code', [
        { field: 'code', message: 'is invalid or already used' },
      ]);
    }
    user.mfaEnabled = false;
    user.mfaSecret = null;
    user.mfaPendingSecret = null;
    user.mfaLastTimeStep = null;
    user.mfaRecoveryCodeHashes = [];
    await em.flush();
    return user;
  }

  /**
   * A TOTP code of a step after the last accepted one, or an unused recovery code. Each is consumed by one conditional
   * UPDATE, so two logins racing with the same code cannot both succeed. The loaded entity is left as it was (the
   * columns are not flushed from it), so a later flush cannot write back a consumed code.
   */
  private async acceptSecondFactor(em: EntityManager, user: User, code: string): Promise<boolean> {
    const connection = em.getConnection();
    if (/^\d{6}$/.test(code)) {
      if (!user.mfaSecret) return false;
      const last =
        user.mfaLastTimeStep === null || user.mfaLastTimeStep === undefined ? null : Number(user.mfaLastTimeStep);
      const step = await verifyTotp(user.mfaSecret, code, this.clock.now(), last);
      if (step === undefined) return false;
      const claimed = await connection.execute(
        'update users set mfa_last_time_step = ? where id = ? and (mfa_last_time_step is null or mfa_last_time_step < ?) returning id',
        [step, user.id, step],
      );
      return claimed.length === 1;
    }
    if (!isRecoveryCodeShape(code)) return false;
    const hash = hashRecoveryCode(code);
    const used = await connection.execute(
      'update users set mfa_recovery_code_hashes = array_remove(mfa_recovery_code_hashes, ?) where id = ? and ? = any(mfa_recovery_code_hashes) returning id',
      [hash, user.id, hash],
    );
    return used.length === 1;
  }

  private async userWithSecrets(em: EntityManager, userId: string): Promise<User> {
    const user = await em.findOne(
      User,
      { id: userId },
      {
        filters: false,
        populate: ['passwordHash', 'mfaSecret', 'mfaPendingSecret', 'mfaLastTimeStep', 'mfaRecoveryCodeHashes'],
      },
    );
    if (!user) throw AppError.unauthenticated();
    return user;
  }

  private async revokeAllSessions(em: EntityManager, user: User): Promise<void> {
    await em.nativeUpdate(RefreshToken, { user: user.id, revokedAt: null }, { revokedAt: new Date() });
  }

  /**
   * The invited person sets a password. An invitation to an email that has an account by now (in another
   * organization) cannot be accepted: an account belongs to one organization. It is refused exactly like an invalid
   * token, and counted as a failed sign-in from the address, so that accepting invitations one has issued oneself is
   * no faster a way to learn which emails have accounts than guessing passwords.
   */
  async acceptInvitation(
    em: EntityManager,
    input: AcceptInvitationInput,
    origin: LoginOrigin = { ip: '' },
  ): Promise<AuthPayload> {
    if (this.signupMode === 'closed') throw AppError.forbidden('This installation takes no new accounts');
    const address = clientAddress(origin.ip);
    const invalid = () => AppError.unauthenticated('The invitation is invalid or has expired');
    const outcome = await em.transactional(async (tem) => {
      const user = await tem.findOne(
        User,
        { invitationTokenHash: hashRefreshToken(input.invitationToken) },
        { filters: false },
      );
      if (!user || !user.invitationExpiresAt || user.invitationExpiresAt < new Date()) return null;
      const keys = throttleKeys(user.email, address);
      await this.assertNotThrottled(tem, keys, user.email, address);
      await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [`argus-account:${user.email}`]);
      if (
        await tem.count(
          User,
          { email: user.email, $or: [{ passwordHash: { $ne: null } }, { ssoSubject: { $ne: null } }] },
          { filters: false },
        )
      )
        return { keys };
      if (await this.requiresSso(tem, user))
        throw AppError.forbidden('This organization requires single sign-on: sign in with SSO');
      user.passwordHash = await hashPassword(input.password);
      user.invitationTokenHash = null;
      user.invitationExpiresAt = null;
      return { user };
    });
    if (!outcome) throw invalid();
    if (!outcome.user) {
      await this.recordFailure(em, outcome.keys);
      throw invalid();
    }
    return this.issue(em, outcome.user, randomUUID());
  }

  /**
   * Rotation: each refresh token works once. Presenting one that was already used means it leaked; the whole family
   * is revoked, so the thief's and the owner's sessions both end.
   */
  async refresh(em: EntityManager, input: RefreshInput): Promise<AuthPayload> {
    const outcome = await em.transactional(async (tem) => {
      const token = await tem.findOne(
        RefreshToken,
        { tokenHash: hashRefreshToken(input.refreshToken) },
        { populate: ['user'], filters: false, lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!token || token.revokedAt || token.expiresAt < new Date() || token.user.disabled)
        return { error: 'Invalid refresh token', revoked: undefined };
      if (token.usedAt) {
        await tem.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: new Date() });
        return { error: 'Refresh token reuse detected; this session has been revoked', revoked: token.familyId };
      }
      // A session begun with a password ends at its next refresh once the organization requires single sign-on.
      if (token.signInMethod === 'password' && (await this.requiresSso(tem, token.user))) {
        return { error: 'This organization requires single sign-on: sign in with SSO', revoked: undefined };
      }
      token.usedAt = new Date();
      return {
        payload: await this.issue(tem, token.user, token.familyId, token.signInMethod),
        revoked: undefined,
        error: undefined,
      };
    });
    // Thrown after the commit, so that the revocation of a reused family is kept.
    if (outcome.revoked) this.sessions?.revokeSessions([outcome.revoked]);
    if (outcome.error) throw AppError.unauthenticated(outcome.error);
    return outcome.payload!;
  }

  async logout(em: EntityManager, input: RefreshInput): Promise<boolean> {
    const token = await em.findOne(
      RefreshToken,
      { tokenHash: hashRefreshToken(input.refreshToken) },
      { filters: false },
    );
    if (token) {
      await em.nativeUpdate(RefreshToken, { familyId: token.familyId, revokedAt: null }, { revokedAt: new Date() });
      this.sessions?.revokeSessions([token.familyId]);
    }
    return true;
  }

  private async issue(
    em: EntityManager,
    user: User,
    familyId: string,
    signInMethod: SignInMethod = 'password',
  ): Promise<AuthPayload> {
    const refresh = this.tokens.newRefreshToken();
    em.create(RefreshToken, { user, familyId, tokenHash: refresh.hash, expiresAt: refresh.expiresAt, signInMethod });
    await em.flush();
    return {
      accessToken: this.tokens.signAccess({
        sub: user.id,
        org: user.organization.id,
        ver: user.tokenVersion,
        sid: familyId,
      }),
      refreshToken: refresh.token,
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTtlSeconds,
      user,
    };
  }

  /**
   * Refuses with 429 while any throttle of this login is blocked. The account-wide one is skipped for an address the
   * account signed in from before: its owner is never locked out by failures from elsewhere.
   */
  private async assertNotThrottled(
    em: EntityManager,
    keys: Record<ThrottleKind, string>,
    account: string,
    address: string,
  ): Promise<void> {
    const now = Date.now();
    const blocked = await em.find(LoginThrottle, {
      accountKey: { $in: Object.values(keys) },
      blockedUntil: { $gt: new Date(now) },
    });
    let wait = 0;
    for (const throttle of blocked) {
      if (throttle.accountKey === keys.account) {
        const since = new Date(now - KNOWN_SOURCE_DAYS * 86400_000);
        if (await em.count(LoginSource, { accountKey: account, address, lastSuccessAt: { $gt: since } })) continue;
      }
      wait = Math.max(wait, throttle.blockedUntil!.getTime() - now);
    }
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError('RATE_LIMITED', `Too many failed logins; try again in ${seconds} s`, undefined, {
        'Retry-After': String(seconds),
      });
    }
  }

  /** One atomic upsert per throttle, so concurrent failures are all counted. */
  private async recordFailure(em: EntityManager, keys: Record<ThrottleKind, string>): Promise<void> {
    for (const kind of Object.keys(keys) as ThrottleKind[]) {
      const { free, maxBlockMs } = LOGIN_THROTTLES[kind];
      await em.getConnection().execute(
        `insert into login_throttles as t (account_key, failures, last_failure_at, blocked_until) values (?, 1, now(), null)
         on conflict (account_key) do update set
           failures = case when t.last_failure_at < now() - interval '${FAILURE_MEMORY}' then 1 else t.failures + 1 end,
           last_failure_at = now(),
           blocked_until = case when t.last_failure_at >= now() - interval '${FAILURE_MEMORY}' and t.failures + 1 >= ?
             then now() + least(interval '1 millisecond' * ?, interval '1 second' * power(2, least(t.failures + 1 - ?, 30)))
             else null end`,
        [keys[kind], free, maxBlockMs, free],
      );
    }
  }
}

function throttleKeys(account: string, address: string): Record<ThrottleKind, string> {
  return { pair: `pair:${account}|${address}`, address: `address:${address}`, account: `account:${account}` };
}
