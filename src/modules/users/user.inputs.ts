import { IsBoolean, IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Role } from '../../core/roles.js';

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
export class UpdateUserInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => Role, { nullable: true })
  role?: Role;

  @Field({ nullable: true, description: 'Disabling ends every session and token of the user and refuses their sign-ins' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

@InputType()
export class UserFilter {
  @Field(() => [Role], { nullable: true })
  role?: Role[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
