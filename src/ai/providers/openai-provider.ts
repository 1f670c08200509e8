import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import type { Logger } from 'pino';
import type { AiConfig } from '../../config/env.js';
import {
  AiAnswer,
  AiProvider,
  FallbackReason,
  LocalPath,
  MalformedOutputError,
  ModelTimeoutError,
  StructuredRequest,
  fallbackReasonOf,
} from './ai-provider.js';

/** System instructions, then the facts as JSON; both are variables, so braces in them are never read as a template. */
const PROMPT = ChatPromptTemplate.fromMessages([
  ['system', '{instructions}'],
  ['human', 'Facts (JSON):\n{facts}'],
]);

/**
 * An OpenAI-compatible endpoint (OpenAI, Azure's v1 API, vLLM, Ollama, LM Studio...) through LangChain: ChatOpenAI with
 * structured output (a zod schema) for chat, OpenAIEmbeddings for vectors. Any failure — the deadline, 429, 5xx, a
 * refused connection, an answer that does not parse or does not pass the feature's check — is logged and answered by
 * the embedded path, with the reason.
 */
export class OpenAiCompatibleProvider implements AiProvider {
  readonly name = 'openai' as const;
  readonly chatModel: string | null;
  readonly embeddingModel: string | null;
  private readonly chat?: ChatOpenAI;
  private readonly embeddings?: OpenAIEmbeddings;

  constructor(
    private readonly config: AiConfig,
    private readonly log: Logger,
  ) {
    this.chatModel = config.chatModel;
    this.embeddingModel = config.embeddingModel;
    // The OpenAI client refuses to start without a key; self-hosted servers ignore it.
    const common = {
      apiKey: config.apiKey ?? 'not-needed',
      configuration: config.baseUrl ? { baseURL: config.baseUrl } : undefined,
      // No retries: the embedded path answers at once instead, and the user's request is not held up.
      maxRetries: 0,
      timeout: config.timeoutMs,
    };
    if (config.chatModel)
      this.chat = new ChatOpenAI({ ...common, model: config.chatModel, temperature: 0, useResponsesApi: false });
    // encodingFormat 'float': the default (base64) yields empty vectors from servers that answer with float arrays.
    if (config.embeddingModel)
      this.embeddings = new OpenAIEmbeddings({ ...common, model: config.embeddingModel, encodingFormat: 'float' });
  }

  async structured<T, R = T>(request: StructuredRequest<T, R>): Promise<AiAnswer<R>> {
    if (!this.chat || !this.chatModel)
      return { value: await request.local.run(), model: request.local.model, fallbackReason: null };
    const method = this.config.structuredOutput === 'tool_calling' ? 'functionCalling' : 'jsonSchema';
    const chain = PROMPT.pipe(this.chat.withStructuredOutput(request.schema, { name: request.name, method }));
    try {
      const ms = Math.min(request.timeoutMs ?? this.config.timeoutMs, this.config.timeoutMs);
      const raw = await this.withDeadline(
        (signal) =>
          chain.invoke({ instructions: request.instructions, facts: JSON.stringify(request.facts) }, { signal }),
        ms,
      );
      const parsed = request.schema.safeParse(raw);
      if (!parsed.success)
        throw new MalformedOutputError(
          `the answer does not match ${request.name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        );
      const value = request.accept(parsed.data);
      return { value, model: this.chatModel, fallbackReason: null };
    } catch (error) {
      return this.fallBack(error, request.local, { task: request.name, model: this.chatModel });
    }
  }

  async embed(texts: string[], local: LocalPath<number[][]>): Promise<AiAnswer<number[][]>> {
    if (!this.embeddings || !this.embeddingModel)
      return { value: await local.run(), model: local.model, fallbackReason: null };
    const embeddings = this.embeddings;
    try {
      const vectors = await this.withDeadline(() => embeddings.embedDocuments(texts));
      if (vectors.length !== texts.length || vectors.some((v) => !v.length || v.some((x) => !Number.isFinite(x)))) {
        throw new MalformedOutputError('the embeddings are empty or not numbers');
      }
      return { value: vectors, model: this.embeddingModel, fallbackReason: null };
    } catch (error) {
      return this.fallBack(error, local, { task: 'embeddings', model: this.embeddingModel });
    }
  }

  private async fallBack<T>(
    error: unknown,
    local: LocalPath<T>,
    what: { task: string; model: string },
  ): Promise<AiAnswer<T>> {
    const reason: FallbackReason = fallbackReasonOf(error);
    this.log.warn(
      { ...what, reason, error: error instanceof Error ? error.message : String(error) },
      'model call failed; the embedded path answers',
    );
    return { value: await local.run(), model: local.model, fallbackReason: reason };
  }

  /** Runs a call under ARGUS_AI_TIMEOUT_MS, aborting the HTTP request when the deadline passes. */
  private async withDeadline<R>(call: (signal: AbortSignal) => Promise<R>, ms = this.config.timeoutMs): Promise<R> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new ModelTimeoutError(ms));
      }, ms);
    });
    try {
      return await Promise.race([call(controller.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
