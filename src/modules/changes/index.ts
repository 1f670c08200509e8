import type { ModuleManifest } from '../../core/module-manifest.js';
import { ChangeRequest } from './change-request.entity.js';
import { ChangeRequestResolver } from './change-request.resolver.js';

export const changesModule: ModuleManifest = {
  name: 'changes',
  entities: [ChangeRequest],
  resolvers: [ChangeRequestResolver],
};
