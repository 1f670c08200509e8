import type { Logger } from 'pino';
import type { AiConfig } from '../../config/env.js';
import type { AiProvider } from './ai-provider.js';
import { LocalAiProvider } from './local-provider.js';

export type { AiAnswer, AiProvider, FallbackReason, LocalPath, StructuredRequest } from './ai-provider.js';
export { MalformedOutputError } from './ai-provider.js';

/** The provider the configuration selects (ARGUS_AI_PROVIDER); `local` unless an endpoint is configured. */
export function createAiProvider(config: AiConfig, log: Logger): AiProvider {
  if (config.provider === 'openai') {
    log.info(
      {
        baseUrl: config.baseUrl ?? 'https://api.openai.com/v1',
        chatModel: config.chatModel,
        embeddingModel: config.embeddingModel,
      },
      'AI provider: OpenAI-compatible endpoint',
    );
    // Loaded only when configured: LangChain and the OpenAI client are ≈ 440 modules a local setup never uses.
    // A deliberate lazy, synchronous load (typed by the cast): an import would load LangChain at startup.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OpenAiCompatibleProvider } = require('./openai-provider.js') as typeof import('./openai-provider.js');
    return new OpenAiCompatibleProvider(config, log);
  }
  return new LocalAiProvider();
}
