import { z } from 'zod';
import pino from 'pino';
import { FakeOpenAi } from '../support/fake-openai';
import { OpenAiCompatibleProvider } from '../../src/ai/providers/openai-provider';
import { LocalAiProvider } from '../../src/ai/providers/local-provider';
import { createAiProvider } from '../../src/ai/providers';
import { MalformedOutputError, fallbackReasonOf } from '../../src/ai/providers/ai-provider';
import { loadConfig, AiConfig } from '../../src/config/env';

const log = pino({ level: 'silent' });
const Severity = z.object({ severity: z.enum(['P1', 'P2', 'P3', 'P4']), reasoning: z.string() });
type Severity = z.infer<typeof Severity>;
const local = { model: 'embedded-v0', run: (): Severity => ({ severity: 'P3', reasoning: 'embedded' }) };
const ask = {
  schema: Severity,
  name: 'severity',
  instructions: 'Classify {the} incident',
  facts: { title: 'Checkout down' },
  local,
  accept: (v: Severity) => v,
};

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await new FakeOpenAi().start();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function provider(overrides: Partial<AiConfig> = {}): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider(
    {
      provider: 'openai',
      baseUrl: fake.url,
      apiKey: 'test-key',
      chatModel: 'fake-chat',
      embeddingModel: 'fake-embed',
      timeoutMs: 2000,
      structuredOutput: 'json_schema',
      classifyOnCreate: 'embedded',
      createTimeoutMs: 2000,
      embeddingJobIntervalSeconds: 0,
      embeddingBatchSize: 100,
      ...overrides,
    },
    log,
  );
}

describe('OpenAI-compatible provider against a fake server', () => {
  it('asks for json_schema structured output and uses the answer', async () => {
    fake.next({ kind: 'answer', value: () => ({ severity: 'P1', reasoning: 'checkout is down' }) });
    const answer = await provider().structured(ask);
    expect(answer).toEqual({
      value: { severity: 'P1', reasoning: 'checkout is down' },
      model: 'fake-chat',
      fallbackReason: null,
    });
    const sent = fake.chatRequests[0];
    expect(sent.model).toBe('fake-chat');
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.name).toBe('severity');
    expect(sent.tools).toBeUndefined();
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: 'Classify {the} incident' });
    expect(sent.messages[1].content).toContain('"title":"Checkout down"');
  });

  it('asks through a forced tool call when configured for tool calling', async () => {
    fake.next({ kind: 'answer', value: () => ({ severity: 'P2', reasoning: 'tool' }) });
    const answer = await provider({ structuredOutput: 'tool_calling' }).structured(ask);
    expect(answer.value).toEqual({ severity: 'P2', reasoning: 'tool' });
    expect(answer.fallbackReason).toBeNull();
    const sent = fake.chatRequests[0];
    expect(sent.tools?.[0].function.name).toBe('severity');
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'severity' } });
    expect(sent.response_format).toBeUndefined();
  });

  it('gives every completion its own id', async () => {
    fake.defaultAnswer = () => ({ severity: 'P4', reasoning: 'x' });
    const before = fake.completionIds.length;
    await Promise.all([1, 2, 3].map(() => provider().structured(ask)));
    const ids = fake.completionIds.slice(before);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it.each([
    ['rate_limited', { kind: 'status' as const, status: 429, headers: { 'retry-after': '1' } }],
    ['server_error', { kind: 'status' as const, status: 500 }],
    ['server_error', { kind: 'status' as const, status: 503 }],
    ['model_error', { kind: 'status' as const, status: 401 }],
    ['model_error', { kind: 'status' as const, status: 404 }],
    ['malformed_output', { kind: 'raw' as const, content: '{"severity": "P1", "reasoning": ' }],
    ['malformed_output', { kind: 'raw' as const, content: 'I think it is a P1.' }],
    ['malformed_output', { kind: 'answer' as const, value: () => ({ severity: 'P9', reasoning: 'no such severity' }) }],
  ])('falls back to the embedded path with %s', async (reason, behaviour) => {
    fake.next(behaviour);
    const answer = await provider().structured(ask);
    expect(answer).toEqual({
      value: { severity: 'P3', reasoning: 'embedded' },
      model: 'embedded-v0',
      fallbackReason: reason,
    });
    expect(fake.chatRequests).toHaveLength(1); // no retries: the embedded path answers at once
  });

  it('falls back on a malformed answer in tool-calling mode too', async () => {
    // LangChain warns on the console about the unparsable tool call before it throws; the warning is expected here.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    fake.next({ kind: 'raw', content: '{"severity": ' });
    const answer = await provider({ structuredOutput: 'tool_calling' }).structured(ask);
    expect(answer.fallbackReason).toBe('malformed_output');
    jest.restoreAllMocks();
  });

  it('falls back when the model does not answer in time, without waiting for it', async () => {
    fake.next({ kind: 'delay', ms: 3000, value: () => ({ severity: 'P1', reasoning: 'late' }) });
    const started = Date.now();
    const answer = await provider({ timeoutMs: 300 }).structured(ask);
    expect(answer).toMatchObject({ model: 'embedded-v0', fallbackReason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('falls back when nothing listens at the base URL', async () => {
    const answer = await provider({ baseUrl: 'http://127.0.0.1:9/v1' }).structured(ask);
    expect(answer).toMatchObject({ model: 'embedded-v0', fallbackReason: 'unreachable' });
  });

  it('falls back when the feature’s check refuses the answer', async () => {
    fake.next({ kind: 'answer', value: () => ({ severity: 'P1', reasoning: '' }) });
    const answer = await provider().structured({
      ...ask,
      accept: (v: Severity) => {
        if (!v.reasoning) throw new MalformedOutputError('no reasoning');
        return v;
      },
    });
    expect(answer.fallbackReason).toBe('malformed_output');
  });

  it('embeds with float encoding and returns the vectors', async () => {
    const answer = await provider().embed(['checkout down', 'search slow'], {
      model: 'embedded',
      run: () => [[0], [0]],
    });
    expect(answer.model).toBe('fake-embed');
    expect(answer.fallbackReason).toBeNull();
    expect(answer.value).toHaveLength(2);
    expect(answer.value[0]).toHaveLength(8);
    expect(answer.value[0].every((x) => typeof x === 'number' && x !== 0)).toBe(true);
    expect(fake.embeddingRequests[0]).toMatchObject({
      model: 'fake-embed',
      input: ['checkout down', 'search slow'],
      encoding_format: 'float',
    });
  });

  it('falls back for embeddings when the endpoint is unreachable', async () => {
    const answer = await provider({ baseUrl: 'http://127.0.0.1:9/v1' }).embed(['a'], {
      model: 'embedded',
      run: () => [[1, 2]],
    });
    expect(answer).toEqual({ value: [[1, 2]], model: 'embedded', fallbackReason: 'unreachable' });
  });

  it('keeps a part on the embedded model when its model is not configured', async () => {
    const chatOnly = provider({ embeddingModel: null });
    const answer = await chatOnly.embed(['a'], { model: 'embedded', run: () => [[1]] });
    expect(answer).toEqual({ value: [[1]], model: 'embedded', fallbackReason: null });
    expect(fake.embeddingRequests).toHaveLength(0);
  });
});

describe('local provider', () => {
  it('answers from the embedded path with no network and no fallback reason', async () => {
    const answer = await new LocalAiProvider().structured(ask);
    expect(answer).toEqual({
      value: { severity: 'P3', reasoning: 'embedded' },
      model: 'embedded-v0',
      fallbackReason: null,
    });
  });
});

describe('AI configuration', () => {
  const base = { NODE_ENV: 'test', ARGUS_JWT_SECRET: 'x'.repeat(40) };

  it('is local by default', () => {
    const ai = loadConfig(base).ai;
    expect(ai).toMatchObject({
      provider: 'local',
      chatModel: null,
      embeddingModel: null,
      timeoutMs: 20000,
      structuredOutput: 'json_schema',
    });
    expect(createAiProvider(ai, log).name).toBe('local');
  });

  it('selects an OpenAI-compatible endpoint with its models', () => {
    const ai = loadConfig({
      ...base,
      ARGUS_AI_PROVIDER: 'openai',
      ARGUS_AI_BASE_URL: 'http://127.0.0.1:11434/v1',
      ARGUS_AI_CHAT_MODEL: 'llama3.1',
      ARGUS_AI_EMBEDDING_MODEL: 'local',
      ARGUS_AI_TIMEOUT_MS: '5000',
      ARGUS_AI_STRUCTURED_OUTPUT: 'tool_calling',
      ARGUS_AI_CLASSIFY_ON_CREATE: 'model',
      ARGUS_AI_CREATE_TIMEOUT_MS: '1000',
      ARGUS_EMBEDDING_BATCH_SIZE: '50',
    }).ai;
    expect(ai).toEqual({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: undefined,
      chatModel: 'llama3.1',
      embeddingModel: null,
      timeoutMs: 5000,
      structuredOutput: 'tool_calling',
      classifyOnCreate: 'model',
      createTimeoutMs: 1000,
      embeddingJobIntervalSeconds: 30,
      embeddingBatchSize: 50,
    });
    const p = createAiProvider(ai, log);
    expect([p.name, p.chatModel, p.embeddingModel]).toEqual(['openai', 'llama3.1', null]);
  });

  it('needs an API key for OpenAI itself, and refuses bad values naming the variable', () => {
    expect(() => loadConfig({ ...base, ARGUS_AI_PROVIDER: 'openai' })).toThrow(/ARGUS_AI_API_KEY/);
    expect(loadConfig({ ...base, ARGUS_AI_PROVIDER: 'openai', ARGUS_AI_API_KEY: 'sk-test' }).ai.chatModel).toBe(
      'gpt-4o-mini',
    );
    expect(() => loadConfig({ ...base, ARGUS_AI_PROVIDER: 'anthropic' })).toThrow(/ARGUS_AI_PROVIDER/);
    expect(() => loadConfig({ ...base, ARGUS_AI_BASE_URL: 'not a url' })).toThrow(/ARGUS_AI_BASE_URL/);
    expect(() => loadConfig({ ...base, ARGUS_AI_TIMEOUT_MS: '10' })).toThrow(/ARGUS_AI_TIMEOUT_MS/);
  });
});

describe('fallbackReasonOf', () => {
  it('names the reason from what the client threw', () => {
    expect(fallbackReasonOf(Object.assign(new Error('x'), { status: 429 }))).toBe('rate_limited');
    expect(fallbackReasonOf(Object.assign(new Error('x'), { status: 502 }))).toBe('server_error');
    expect(fallbackReasonOf(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(fallbackReasonOf(new MalformedOutputError('x'))).toBe('malformed_output');
    expect(fallbackReasonOf(new TypeError('fetch failed'))).toBe('unreachable');
    expect(fallbackReasonOf('weird')).toBe('model_error');
  });
});
