import type { ModuleManifest } from '../../core/module-manifest.js';
import { Incident } from './incident.entity.js';
import { IncidentEvent } from './incident-event.entity.js';
import { IncidentImport } from './incident-import.entity.js';
import { IncidentImportResolver } from './incident-import.resolver.js';
import { IncidentResolver, IncidentEventResolver } from './incident.resolver.js';

export const incidentsModule: ModuleManifest = {
  name: 'incidents',
  entities: [Incident, IncidentEvent, IncidentImport],
  resolvers: [IncidentResolver, IncidentEventResolver, IncidentImportResolver],
};
