import { Embeddings, EmbeddingsParams } from '@langchain/core/embeddings';
import { LexicalModel } from './lexical-model.js';

/**
 * argus-lexical-v1 behind LangChain's `Embeddings` interface, so chains and vector stores can use the embedded model
 * as they would a hosted one: no network, no download, no API key. The vectors are the 256-d dense projections
 * (unit length; cosine = dot product). The sparse 2^16 vectors that similar incidents re-rank with are on `model`.
 */
export class ArgusLexicalEmbeddings extends Embeddings {
  readonly model: LexicalModel;

  constructor(params: EmbeddingsParams & { model?: LexicalModel } = {}) {
    super(params);
    this.model = params.model ?? new LexicalModel();
  }

  get modelName(): string {
    return this.model.name;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }

  private embed(text: string): number[] {
    return Array.from(this.model.dense(this.model.sparse(text)));
  }
}
