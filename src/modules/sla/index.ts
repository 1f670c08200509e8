import type { ModuleManifest } from '../../core/module-manifest.js';
import { SlaPolicy } from './sla-policy.entity.js';
import { SlaPolicyResolver } from './sla-policy.resolver.js';

export const slaModule: ModuleManifest = {
  name: 'sla',
  entities: [SlaPolicy],
  resolvers: [SlaPolicyResolver],
};
