import type { ModuleManifest } from '../../core/module-manifest.js';
import { IdentityProvider } from './identity-provider.entity.js';
import { IdentityProviderResolver } from './identity-provider.resolver.js';

export const identityProvidersModule: ModuleManifest = {
  name: 'identity-providers',
  entities: [IdentityProvider],
  resolvers: [IdentityProviderResolver],
};
