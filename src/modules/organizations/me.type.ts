import { Field, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';

/** The signed-in user's organization as `me` shows it (nested in REST bodies too: it is not a record of its own). */
@ObjectType()
export class MyOrganization {
  @Field()
  name: string;

  @Field({ description: 'Names the organization in single sign-on addresses: /api/v1/auth/sso/<slug>/start' })
  slug: string;
}

/** The signed-in user, with their organization. */
@ObjectType()
export class Me extends User {}
