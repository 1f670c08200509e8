import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** What the fake model does with the next chat completion. */
export type ChatBehaviour =
  | { kind: 'answer'; value: (request: ChatRequest) => unknown }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number; value: (request: ChatRequest) => unknown }
  | { kind: 'raw'; content: string };

/** What the fake server does with the next embeddings request. */
export type EmbeddingBehaviour =
  { kind: 'status'; status: number; body?: unknown } | { kind: 'delay'; ms: number } | { kind: 'raw'; body: string };

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown> } };
  tools?: Array<{ type: 'function'; function: { name: string; parameters: Record<string, unknown> } }>;
  tool_choice?: unknown;
  [key: string]: unknown;
}

/** The structured-output name a chat request asks for (json_schema name or the forced tool's name). */
export function taskOf(request: ChatRequest): string | undefined {
  return request.response_format?.json_schema?.name ?? request.tools?.[0]?.function.name;
}

/** The facts JSON of a chat request (the user message after "Facts (JSON):"). */
export function factsOf(request: ChatRequest): any {
  const user = request.messages.find((m) => m.role === 'user');
  if (!user) throw new Error('no user message');
  return JSON.parse(user.content.slice(user.content.indexOf('{')));
}

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: `POST /v1/chat/completions` answers structured output
 * both ways LangChain asks for it (`response_format: json_schema` → JSON content; `tools` + `tool_choice` → a tool
 * call), `POST /v1/embeddings` returns float arrays. Completion ids are unique. Behaviours are queued per test
 * (`next`); without one, `defaultAnswer` answers.
 */
export class FakeOpenAi {
  readonly chatRequests: ChatRequest[] = [];
  readonly embeddingRequests: Array<{ model: string; input: string[]; encoding_format?: string }> = [];
  readonly completionIds: string[] = [];
  private queue: ChatBehaviour[] = [];
  private embeddingQueue: EmbeddingBehaviour[] = [];
  /** The vector of a text under a model; by default a deterministic 8-dimensional vector of the characters. */
  embeddingFor: (model: string, text: string) => number[] = (model, text) => vectorOf(`${model}:${text}`);
  /** Every embeddings request fails with this status while set (a server that is down for a while). */
  embeddingOutage: number | null = null;
  defaultAnswer: (request: ChatRequest) => unknown = () => ({});
  private server?: Server;
  private sockets = new Set<import('node:net').Socket>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  next(...behaviours: ChatBehaviour[]): void {
    this.queue.push(...behaviours);
  }

  /** Queues behaviours for the next embeddings requests. */
  nextEmbedding(...behaviours: EmbeddingBehaviour[]): void {
    this.embeddingQueue.push(...behaviours);
  }

  reset(): void {
    this.queue = [];
    this.embeddingQueue = [];
    this.embeddingOutage = null;
    this.embeddingFor = (model, text) => vectorOf(`${model}:${text}`);
    this.chatRequests.length = 0;
    this.embeddingRequests.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text || '{}');
    if (req.method === 'POST' && req.url === '/v1/embeddings') return this.embeddings(body, res);
    if (req.method === 'POST' && req.url === '/v1/chat/completions') return this.chat(body, res);
    send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
  }

  private async embeddings(
    body: { model: string; input: string | string[]; encoding_format?: string },
    res: ServerResponse,
  ): Promise<void> {
    const input = Array.isArray(body.input) ? body.input : [body.input];
    this.embeddingRequests.push({ model: body.model, input, encoding_format: body.encoding_format });
    const behaviour =
      this.embeddingOutage !== null
        ? { kind: 'status' as const, status: this.embeddingOutage }
        : this.embeddingQueue.shift();
    if (behaviour?.kind === 'status') {
      send(
        res,
        behaviour.status,
        behaviour.body ?? { error: { message: `fake error ${behaviour.status}`, type: 'server_error' } },
      );
      return;
    }
    if (behaviour?.kind === 'raw') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(behaviour.body);
      return;
    }
    if (behaviour?.kind === 'delay') {
      const gaveUp = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), behaviour.ms);
        res.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (gaveUp || res.destroyed) return;
    }
    // Always floats, as many self-hosted servers answer whatever was asked; each model has its own space.
    const data = input.map((t, index) => ({ object: 'embedding', index, embedding: this.embeddingFor(body.model, t) }));
    send(res, 200, {
      object: 'list',
      model: body.model,
      data,
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  }

  private async chat(request: ChatRequest, res: ServerResponse): Promise<void> {
    this.chatRequests.push(request);
    const behaviour = this.queue.shift() ?? { kind: 'answer', value: this.defaultAnswer };
    if (behaviour.kind === 'status') {
      for (const [k, v] of Object.entries(behaviour.headers ?? {})) res.setHeader(k, v);
      send(
        res,
        behaviour.status,
        behaviour.body ?? { error: { message: `fake error ${behaviour.status}`, type: 'server_error' } },
      );
      return;
    }
    if (behaviour.kind === 'delay') {
      // Waits, unless the client gives up first (its deadline aborts the request), so no timer outlives a test.
      const gaveUp = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), behaviour.ms);
        res.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (gaveUp || res.destroyed) return;
    }
    const content = behaviour.kind === 'raw' ? behaviour.content : JSON.stringify(behaviour.value(request));
    const id = `chatcmpl-${randomUUID()}`;
    this.completionIds.push(id);
    const toolName = request.tools?.[0]?.function.name;
    const message = toolName
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${randomUUID().slice(0, 12)}`,
              type: 'function',
              function: { name: toolName, arguments: content },
            },
          ],
        }
      : { role: 'assistant', content, refusal: null };
    if (res.destroyed) return;
    send(res, 200, {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message, finish_reason: toolName ? 'tool_calls' : 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A deterministic 8-dimensional float vector per text. */
export function vectorOf(text: string): number[] {
  const v = new Array(8).fill(0);
  for (let i = 0; i < text.length; i++) v[i % 8] += text.charCodeAt(i) / 1000;
  return v.map((x) => Math.round(x * 1e6) / 1e6 + 0.001);
}
