export { ArgusLexicalEmbeddings } from './langchain-embeddings.js';
export {
  LexicalModel,
  LEXICAL_MODEL_NAME,
  LEXICAL_V1,
  DENSE_DIM,
  SPARSE_DIM,
  incidentDocument,
  tokenize,
} from './lexical-model.js';
export type { IncidentText, LexicalOptions } from './lexical-model.js';
export type { SparseVector } from './sparse-vector.js';
