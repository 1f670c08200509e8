import type { ModuleManifest } from '../core/module-manifest.js';
import { IncidentEmbedding } from './similar/incident-embedding.entity.js';
import { SimilarIndexVersion } from './similar/similar-index-version.entity.js';
import { EmbeddingJob } from './similar/embedding-job.entity.js';
import { SimilarIncidentsResolver } from './similar/similar-incidents.resolver.js';
import { AiResolver } from './classify/classify.resolver.js';
import { SearchResolver } from './search/search.resolver.js';

export const aiModule: ModuleManifest = {
  name: 'ai',
  entities: [IncidentEmbedding, SimilarIndexVersion, EmbeddingJob],
  resolvers: [SimilarIncidentsResolver, AiResolver, SearchResolver],
};
