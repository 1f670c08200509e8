import type { ModuleManifest } from '../../core/module-manifest.js';
import { Postmortem } from './postmortem.entity.js';
import { PostmortemResolver } from './postmortem.resolver.js';

export const postmortemsModule: ModuleManifest = {
  name: 'postmortems',
  entities: [Postmortem],
  resolvers: [PostmortemResolver],
};
