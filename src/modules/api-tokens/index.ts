import type { ModuleManifest } from '../../core/module-manifest.js';
import { ApiToken } from './api-token.entity.js';
import { ApiTokenResolver } from './api-token.resolver.js';

export const apiTokensModule: ModuleManifest = {
  name: 'api-tokens',
  entities: [ApiToken],
  resolvers: [ApiTokenResolver],
};
