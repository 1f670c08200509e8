import type { ModuleManifest } from '../../core/module-manifest.js';
import { Service } from './service.entity.js';
import { ServiceResolver } from './service.resolver.js';

export const servicesModule: ModuleManifest = {
  name: 'services',
  entities: [Service],
  resolvers: [ServiceResolver],
};
