import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Role } from '../../core/roles.js';
import { ApiTokenKind } from './api-token.entity.js';
import { FilterEq, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';

@InputType()
export class CreateApiTokenInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => ApiTokenKind, { nullable: true, description: 'Default personal; service tokens are created by admins' })
  @IsOptional()
  kind?: ApiTokenKind;

  @Field(() => Role, {
    nullable: true,
    description: 'Personal: at most your role (default: your role). Service: admin, responder or viewer (required)',
  })
  @IsOptional()
  role?: Role;

  @Field(() => Date, { nullable: true, description: 'In the future; null or absent: no expiry' })
  @IsOptional()
  expiresAt?: Date | null;
}

@InputType()
export class UpdateApiTokenInput extends PartialInputType(CreateApiTokenInput, {
  omit: ['kind', 'role', 'expiresAt'],
}) {}

@InputType()
export class ApiTokenFilter {
  @FilterEq('kind', () => ApiTokenKind)
  @IsOptional()
  kind?: ApiTokenKind;

  @FilterText(['name'])
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
