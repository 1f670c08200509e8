import { registerEnumType } from 'type-graphql';

export enum Role {
  owner = 'owner',
  admin = 'admin',
  responder = 'responder',
  viewer = 'viewer',
}
registerEnumType(Role, { name: 'Role', description: 'Roles within an organization, from most to least powerful' });

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2, owner: 3 };

/** True when `role` is at least `required`. Roles are ordered: viewer < responder < admin < owner. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
