import type { ModuleManifest } from '../../core/module-manifest.js';
import { OnCallSchedule } from './on-call-schedule.entity.js';
import { OnCallScheduleResolver } from './on-call-schedule.resolver.js';

export const onCallModule: ModuleManifest = {
  name: 'on-call',
  entities: [OnCallSchedule],
  resolvers: [OnCallScheduleResolver],
};
