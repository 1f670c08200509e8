import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { CrudService } from '../crud.service.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { User } from '../users/user.entity.js';
import { Team } from './team.entity.js';

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

export const teamService = new CrudService(Team, {
  label: 'team',
  filters: {
    q: { kind: 'text', properties: ['name', 'description'] },
    memberIds: { kind: 'in', property: 'members' },
  },
  sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
  references: { memberIds: { property: 'members', entity: User, many: true } },
});

@Resolver(() => Team)
export class TeamResolver extends CrudResolver({
  entity: Team,
  single: 'team',
  plural: 'teams',
  path: '/teams',
  createInput: CreateTeamInput,
  updateInput: UpdateTeamInput,
  filterInput: TeamFilter,
  service: (ctx) => ctx.services.teams,
  writeRole: Role.admin,
}) {}
