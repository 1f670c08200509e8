import type { ModuleManifest } from '../../core/module-manifest.js';
import { Team } from './team.entity.js';
import { TeamResolver } from './team.resolver.js';

export const teamsModule: ModuleManifest = {
  name: 'teams',
  entities: [Team],
  resolvers: [TeamResolver],
};
