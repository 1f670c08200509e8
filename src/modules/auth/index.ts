import type { ModuleManifest } from '../../core/module-manifest.js';
import { RefreshToken } from './refresh-token.entity.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { LoginSource } from './login-source.entity.js';
import { AuthResolver } from './auth.resolver.js';

export const authModule: ModuleManifest = {
  name: 'auth',
  entities: [RefreshToken, LoginThrottle, LoginSource],
  resolvers: [AuthResolver],
};
