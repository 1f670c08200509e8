import type { ModuleManifest } from '../../core/module-manifest.js';
import { MeResolver, OrganizationResolver } from './organization.resolver.js';

export const organizationsModule: ModuleManifest = {
  name: 'organizations',
  entities: [],
  resolvers: [OrganizationResolver, MeResolver],
};
