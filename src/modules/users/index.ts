import type { ModuleManifest } from '../../core/module-manifest.js';
import { User } from './user.entity.js';
import { UserResolver } from './user.resolver.js';

export const usersModule: ModuleManifest = {
  name: 'users',
  entities: [User],
  resolvers: [UserResolver],
};
