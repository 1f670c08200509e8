import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { Team } from './team.entity.js';
import { CreateTeamInput, TeamFilter, UpdateTeamInput } from './team.inputs.js';

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
