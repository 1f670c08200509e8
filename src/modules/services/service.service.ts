import { CrudService } from '../crud.service.js';
import { Service } from './service.entity.js';
import { CreateServiceInput, ServiceFilter, UpdateServiceInput } from './service.inputs.js';

export const serviceService = new CrudService(Service, {
  label: 'service',
  filter: ServiceFilter,
  inputs: [CreateServiceInput, UpdateServiceInput],
  sort: { fields: ['name', 'tier', 'createdAt', 'updatedAt'], default: 'name' },
});
