import type { ModuleManifest } from '../../core/module-manifest.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventResolver } from './audit-event.resolver.js';

export const auditModule: ModuleManifest = {
  name: 'audit',
  entities: [AuditEvent],
  resolvers: [AuditEventResolver],
};
