import { CrudService } from '../crud.service.js';
import { Team } from '../teams/team.entity.js';
import { Service } from './service.entity.js';

export const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export const serviceService = new CrudService(Service, {
  label: 'service',
  filters: {
    teamId: { kind: 'in', property: 'team' },
    tier: { kind: 'in', property: 'tier' },
    tags: { kind: 'contains', property: 'tags' },
    q: { kind: 'text', properties: ['name', 'description'] },
  },
  sort: { fields: ['name', 'tier', 'createdAt', 'updatedAt'], default: 'name' },
  references: { teamId: { property: 'team', entity: Team } },
});
