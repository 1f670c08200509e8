import { CrudService } from '../crud.service.js';
import { Team } from './team.entity.js';
import { CreateTeamInput, TeamFilter, UpdateTeamInput } from './team.inputs.js';

export const teamService = new CrudService(Team, {
  label: 'team',
  filter: TeamFilter,
  inputs: [CreateTeamInput, UpdateTeamInput],
  sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
});
