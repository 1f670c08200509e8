import type { AiAnswer, AiProvider, LocalPath, StructuredRequest } from './ai-provider.js';

/** No model configured: every answer comes from the feature's embedded path, with no network. */
export class LocalAiProvider implements AiProvider {
  readonly name = 'local' as const;
  readonly chatModel = null;
  readonly embeddingModel = null;

  async structured<T, R = T>(request: StructuredRequest<T, R>): Promise<AiAnswer<R>> {
    return { value: await request.local.run(), model: request.local.model, fallbackReason: null };
  }

  async embed(_texts: string[], local: LocalPath<number[][]>): Promise<AiAnswer<number[][]>> {
    return { value: await local.run(), model: local.model, fallbackReason: null };
  }
}
