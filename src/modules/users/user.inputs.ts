import { IsBoolean, IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Role } from '../../core/roles.js';
import { FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';

@InputType()
export class InviteUserInput {
  @Field()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => Role)
  role: Role;
}

@InputType()
export class UpdateUserInput extends PartialInputType(InviteUserInput, { omit: ['email'] }) {
  @Field({ nullable: true, description: 'Disabling revokes every token of the user and refuses their sign-ins' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

@InputType()
export class UserFilter {
  @FilterIn('role', () => Role)
  role?: Role[];

  @FilterText(['name', 'email'])
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
