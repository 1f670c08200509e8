import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import type { SignupMode } from '../../config/env.js';
import { hashRefreshToken } from '../auth/tokens.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { User, normalizeEmail } from './user.entity.js';
import { InviteUserInput, UserFilter } from './user.inputs.js';
import { UserInvitation } from './user.types.js';

const INVITATION_TTL_DAYS = 7;

type Input = Record<string, unknown>;

export class UserService extends CrudService<User> {
  constructor(private readonly signupMode: SignupMode = 'open') {
    super(User, {
      label: 'user',
      filter: UserFilter,
      sort: { fields: ['name', 'email', 'createdAt'], default: 'name' },
    });
  }

  async invite(scope: Scope, input: InviteUserInput): Promise<UserInvitation> {
    const auth = scope.actor!;
    if (this.signupMode === 'closed')
      throw AppError.forbidden('This installation takes no new accounts (ARGUS_SIGNUP=closed)');
    this.assertMayGrant(auth, input.role);
    const token = `inv_${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86400_000);
    const email = normalizeEmail(input.email);
    // Only this organization's own users count: whether the email has an account elsewhere is not the inviter's to
    // learn, so such an invitation is answered like any other (docs/DECISIONS.md, Sign-up and invitations).
    const taken = await scope.em.count(User, { email });
    if (taken)
      throw AppError.conflict('This organization already has a user with this email', [
        { field: 'email', message: 'is already a user of this organization' },
      ]);
    const user = scope.em.create(User, {
      email,
      name: input.name,
      role: input.role,
      invitationTokenHash: hashRefreshToken(token),
      invitationExpiresAt: expiresAt,
    });
    await scope.em.flush();
    return { user, invitationToken: token, expiresAt };
  }

  protected override async applyUpdate(em: EntityManager, auth: Actor, user: User, data: Input): Promise<void> {
    const role = data.role as Role | undefined;
    if (role !== undefined && role !== user.role) {
      if (user.id === auth.userId) throw AppError.forbidden('You cannot change your own role');
      this.assertMayGrant(auth, role);
      this.assertMayGrant(auth, user.role);
      if (user.role === Role.owner) await this.assertNotLastOwner(em, user);
      user.role = role;
      user.tokenVersion += 1;
    }
    if (data.disabled !== undefined && data.disabled !== user.disabled) {
      if (user.id === auth.userId) throw AppError.forbidden('You cannot disable yourself');
      this.assertMayGrant(auth, user.role);
      user.disabled = data.disabled as boolean;
      if (user.disabled) {
        user.tokenVersion += 1;
        await em.nativeUpdate(RefreshToken, { user: user.id, revokedAt: null }, { revokedAt: new Date() });
      }
    }
    if (data.name !== undefined) user.name = data.name as string;
  }

  override async remove(scope: Scope, id: string): Promise<boolean> {
    const user = await this.get(scope, id);
    if (user.id === scope.actor!.userId) throw AppError.conflict('You cannot remove yourself');
    this.assertMayGrant(scope.actor!, user.role);
    if (user.role === Role.owner) await this.assertNotLastOwner(scope.em, user);
    await scope.em.remove(user).flush();
    return true;
  }

  /** Only an owner hands out or takes away the owner role; admins manage everyone else. */
  private assertMayGrant(auth: Actor, role: Role): void {
    if (role === Role.owner && auth.role !== Role.owner)
      throw AppError.forbidden('Only an owner can grant or change the owner role');
    if (!roleAtLeast(auth.role, Role.admin)) throw AppError.forbidden();
  }

  private async assertNotLastOwner(em: EntityManager, user: User): Promise<void> {
    const owners = await em.count(User, { role: Role.owner, id: { $ne: user.id } });
    if (owners === 0) throw AppError.conflict('An organization must keep at least one owner');
  }
}
