import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';

@InputType()
export class CreateTeamInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => [UuidScalar], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  memberIds?: string[];
}

@InputType()
export class UpdateTeamInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => [UuidScalar], { nullable: true, description: 'Replaces the member list' })
  @IsOptional()
  @ArrayMaxSize(500)
  memberIds?: string[];
}

@InputType()
export class TeamFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;

  @Field(() => [UuidScalar], { nullable: true, description: 'Teams that have this member' })
  memberIds?: string[];
}
