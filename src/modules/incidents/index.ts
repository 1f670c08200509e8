import type { ModuleManifest } from '../../core/module-manifest.js';
import { Incident } from './incident.entity.js';
import { IncidentEvent } from './incident-event.entity.js';
import { IncidentResolver, IncidentEventResolver } from './incident.resolver.js';

export const incidentsModule: ModuleManifest = {
  name: 'incidents',
  entities: [Incident, IncidentEvent],
  resolvers: [IncidentResolver, IncidentEventResolver],
};
