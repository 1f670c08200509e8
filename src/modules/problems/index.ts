import type { ModuleManifest } from '../../core/module-manifest.js';
import { Problem } from './problem.entity.js';
import { ProblemResolver } from './problem.resolver.js';

export const problemsModule: ModuleManifest = {
  name: 'problems',
  entities: [Problem],
  resolvers: [ProblemResolver],
};
