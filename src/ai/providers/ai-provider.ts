import type { z } from 'zod';

/**
 * What an AI feature asks a chat model for: an object of a zod schema, written from JSON facts by instructions. The
 * feature also says how to answer without a model (its embedded path), so every answer exists with or without one.
 */
export interface StructuredRequest<T, R = T> {
  /** The model answer's shape; an answer that does not parse is malformed and falls back. */
  schema: z.ZodType<T>;
  /** Schema name sent to the model (`json_schema.name` or the tool's name): letters, digits, `_`, `-`. */
  name: string;
  /** The system message. */
  instructions: string;
  /** The facts the model works from, sent as JSON in the user message. */
  facts: unknown;
  /** The embedded path: the answer when no model is configured, and the fallback when the model fails. */
  local: LocalPath<R>;
  /**
   * Turns a parsed model answer into the feature's answer, checking it against the record and correcting what the model
   * may not change (durations, timestamps...); `(answer) => answer` when there is nothing to check. Throwing
   * MalformedOutputError falls back to the embedded path.
   */
  accept: (value: T) => R;
  /** A deadline for this call shorter than the configured one (ARGUS_AI_TIMEOUT_MS), e.g. on incident creation. */
  timeoutMs?: number;
}

export interface LocalPath<T> {
  /** The embedded model's name, reported as `model` when it answers. */
  model: string;
  run: () => T | Promise<T>;
}

/** Why a configured model's answer was not used; the embedded path answered instead. */
export type FallbackReason =
  'timeout' | 'rate_limited' | 'server_error' | 'model_error' | 'unreachable' | 'malformed_output';

export interface AiAnswer<T> {
  value: T;
  /** Which model produced `value`: the configured model's name, or the embedded path's. */
  model: string;
  /** Set when a configured model failed and the embedded path answered. */
  fallbackReason: FallbackReason | null;
}

/**
 * The one door to a model for every AI feature. `local` answers from the embedded paths; `openai` asks an
 * OpenAI-compatible endpoint through LangChain and falls back to the embedded path on any failure, so an AI answer
 * never
 * fails the user's request.
 */
export interface AiProvider {
  readonly name: 'local' | 'openai';
  /** The configured chat model, or null when structured answers stay on the embedded paths. */
  readonly chatModel: string | null;
  /** The configured embedding model, or null when embeddings stay on the embedded model. */
  readonly embeddingModel: string | null;
  structured<T, R = T>(request: StructuredRequest<T, R>): Promise<AiAnswer<R>>;
  /**
   * One vector per text. Vectors of different models are not comparable: callers keep `model` with what they store and
   * compare only vectors of the same model (a fallback answer is in the embedded model's space).
   */
  embed(texts: string[], local: LocalPath<number[][]>): Promise<AiAnswer<number[][]>>;
}

/** A model answer that parsed but cannot be used (wrong shape, facts that cannot be reconciled with the record). */
export class MalformedOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedOutputError';
  }
}

/** Our own deadline (ARGUS_AI_TIMEOUT_MS) for one model call. */
export class ModelTimeoutError extends Error {
  constructor(ms: number) {
    super(`the model did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Maps whatever the OpenAI client, LangChain or our checks threw to the reason reported as `fallback_reason`. */
export function fallbackReasonOf(error: unknown): FallbackReason {
  if (!error || typeof error !== 'object') return 'model_error';
  const e = error as {
    name?: string;
    status?: unknown;
    code?: unknown;
    cause?: { code?: unknown };
    lc_error_code?: unknown;
    message?: string;
  };
  // The OpenAI client's error classes keep the generic name 'Error'; their constructor names tell them apart.
  const names = [e.name, error.constructor?.name];
  const is = (...candidates: string[]) => candidates.some((c) => names.includes(c));
  if (is('TimeoutError', 'APIConnectionTimeoutError', 'AbortError', 'APIUserAbortError')) return 'timeout';
  if (typeof e.status === 'number') {
    if (e.status === 429) return 'rate_limited';
    if (e.status >= 500) return 'server_error';
    return 'model_error';
  }
  if (
    is('MalformedOutputError', 'OutputParserException', 'ZodError', '$ZodError', 'SyntaxError') ||
    e.lc_error_code === 'OUTPUT_PARSING_FAILURE'
  )
    return 'malformed_output';
  // LangChain's caller re-wraps an error that is not an Error of its own realm as `new Error(String(error))`.
  if (/^SyntaxError\b|in JSON at position|is not valid JSON|Unexpected end of JSON/.test(e.message ?? ''))
    return 'malformed_output';
  if (
    is('APIConnectionError') ||
    e.code === 'ECONNREFUSED' ||
    e.cause?.code === 'ECONNREFUSED' ||
    /fetch failed|ECONNREFUSED|ENOTFOUND|socket hang up/i.test(e.message ?? '')
  ) {
    return 'unreachable';
  }
  return 'model_error';
}
