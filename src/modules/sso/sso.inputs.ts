import { Length } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';

@InputType()
export class ExchangeSsoCodeInput {
  @Field({ description: "The one-time code the sign-in callback put in the console's /sso/complete address" })
  @Length(1, 200)
  code: string;
}

@ObjectType()
export class SsoDiscovery {
  @Field({ description: "The organization's slug" })
  slug: string;

  @Field({ description: 'Where a browser starts the sign-in: /api/v1/auth/sso/<slug>/start' })
  startPath: string;
}
