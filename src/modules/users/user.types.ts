import { Field, ObjectType } from 'type-graphql';
import { User } from './user.entity.js';

@ObjectType()
export class UserInvitation {
  @Field(() => User)
  user: User;

  @Field({ description: 'Shown once: the invited user accepts with it at /auth/accept-invitation' })
  invitationToken: string;

  @Field()
  expiresAt: Date;
}
