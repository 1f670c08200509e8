import type { ModuleManifest } from '../../core/module-manifest.js';
import { AlertRule } from './alert-rule.entity.js';
import { AlertRuleResolver } from './alert-rule.resolver.js';

export const alertRulesModule: ModuleManifest = {
  name: 'alert-rules',
  entities: [AlertRule],
  resolvers: [AlertRuleResolver],
};
