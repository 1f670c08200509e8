import type { ModuleManifest } from '../../core/module-manifest.js';
import { AnalyticsResolver } from './analytics.resolver.js';

export const analyticsModule: ModuleManifest = {
  name: 'analytics',
  entities: [],
  resolvers: [AnalyticsResolver],
};
