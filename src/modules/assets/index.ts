import type { ModuleManifest } from '../../core/module-manifest.js';
import { Asset } from './asset.entity.js';
import { AssetResolver } from './asset.resolver.js';

export const assetsModule: ModuleManifest = {
  name: 'assets',
  entities: [Asset],
  resolvers: [AssetResolver],
};
