import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { UuidScalar } from '../../core/scalars.js';
import { User } from '../users/user.entity.js';

/** The longest team name: the same rule for a team made by hand and one made by an incident import. */
export const TEAM_NAME_MAX = 120;

@InputType()
export class CreateTeamInput {
  @Field()
  @Length(1, TEAM_NAME_MAX)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @ReferenceField(() => User, { property: 'members', many: true })
  @IsOptional()
  @ArrayMaxSize(500)
  memberIds?: string[];
}

@InputType()
export class UpdateTeamInput extends PartialInputType(CreateTeamInput, {
  descriptions: { memberIds: 'Replaces the member list' },
}) {}

@InputType()
export class TeamFilter {
  @FilterText(['name', 'description'])
  @IsOptional()
  @Length(1, 200)
  q?: string;

  @FilterIn('members', () => UuidScalar, { description: 'Teams that have this member' })
  memberIds?: string[];
}
