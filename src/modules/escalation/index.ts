import type { ModuleManifest } from '../../core/module-manifest.js';
import { EscalationPolicy } from './escalation-policy.entity.js';
import { EscalationPolicyResolver } from './escalation-policy.resolver.js';

export const escalationModule: ModuleManifest = {
  name: 'escalation',
  entities: [EscalationPolicy],
  resolvers: [EscalationPolicyResolver],
};
