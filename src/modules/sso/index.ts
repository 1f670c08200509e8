import type { ModuleManifest } from '../../core/module-manifest.js';
import { SsoLogin } from './sso-login.entity.js';
import { SsoResolver } from './sso.resolver.js';

export const ssoModule: ModuleManifest = {
  name: 'sso',
  entities: [SsoLogin],
  resolvers: [SsoResolver],
};
