import type { ModuleManifest } from '../../core/module-manifest.js';
import { SavedView } from './saved-view.entity.js';
import { SavedViewResolver } from './saved-view.resolver.js';

export const savedViewsModule: ModuleManifest = {
  name: 'saved-views',
  entities: [SavedView],
  resolvers: [SavedViewResolver],
};
