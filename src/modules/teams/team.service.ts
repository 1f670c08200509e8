import { CrudService } from '../crud.service.js';
import { User } from '../users/user.entity.js';
import { Team } from './team.entity.js';

export const teamService = new CrudService(Team, {
  label: 'team',
  filters: {
    q: { kind: 'text', properties: ['name', 'description'] },
    memberIds: { kind: 'in', property: 'members' },
  },
  sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
  references: { memberIds: { property: 'members', entity: User, many: true } },
});
