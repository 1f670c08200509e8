import { CrudService } from '../crud.service.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { Asset } from './asset.entity.js';

export const assetService = new CrudService(Asset, {
  label: 'asset',
  filters: {
    type: { kind: 'in', property: 'type' },
    status: { kind: 'in', property: 'status' },
    serviceId: { kind: 'in', property: 'service' },
    ownerTeamId: { kind: 'in', property: 'ownerTeam' },
    createdAfter: { kind: 'after', property: 'createdAt' },
    createdBefore: { kind: 'before', property: 'createdAt' },
    q: { kind: 'text', properties: ['name', 'hostname'] },
  },
  sort: { fields: ['name', 'type', 'status', 'createdAt', 'updatedAt'], default: 'name' },
  references: {
    serviceId: { property: 'service', entity: Service },
    ownerTeamId: { property: 'ownerTeam', entity: Team },
  },
});
