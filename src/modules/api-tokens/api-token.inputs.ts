import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Role } from '../../core/roles.js';
import { ApiTokenKind } from './api-token.entity.js';

@InputType()
export class CreateApiTokenInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => ApiTokenKind, { nullable: true, description: 'Default personal; service tokens are created by admins' })
  @IsOptional()
  kind?: ApiTokenKind;

  @Field(() => Role, { nullable: true, description: 'Personal: at most your role (default: your role). Service: admin, responder or viewer (required)' })
  @IsOptional()
  role?: Role;

  @Field(() => Date, { nullable: true, description: 'In the future; null or absent: no expiry' })
  @IsOptional()
  expiresAt?: Date | null;
}

@InputType()
export class UpdateApiTokenInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;
}

@InputType()
export class ApiTokenFilter {
  @Field(() => ApiTokenKind, { nullable: true })
  @IsOptional()
  kind?: ApiTokenKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
