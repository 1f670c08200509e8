import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** The fast read and write paths, each of which ARGUS_FAST_PATHS can turn off (db/fast/switches.ts). */
export const FAST_PATHS = ['lists', 'compiled-reads', 'one-statement', 'alert-appends'] as const;
export type FastPath = (typeof FAST_PATHS)[number];

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url().optional(),
    ARGUS_DATA_DIR: z.string().default('.argus'),
    ARGUS_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    ARGUS_JWT_SECRET: z.string().min(32, 'ARGUS_JWT_SECRET must be at least 32 characters').optional(),
    ARGUS_JWT_ISSUER: z.string().default('argus'),
    ARGUS_JWT_AUDIENCE: z.string().default('argus-api'),
    ARGUS_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(3600),
    ARGUS_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    ARGUS_BODY_LIMIT: z.string().default('1mb'),
    ARGUS_IMPORT_BODY_LIMIT: z.string().default('20mb'),
    ARGUS_DEMO_DATA: z.enum(['true', 'false']).optional(),
    ARGUS_TRUST_PROXY: z
      .string()
      .default('loopback')
      .refine(
        (v) => parseTrustProxy(v) !== undefined,
        'true, false, a number of proxy hops, or comma-separated addresses, CIDRs, loopback, linklocal, uniquelocal',
      ),
    ARGUS_PUBLIC_URL: z.string().url().optional(),
    ARGUS_WEBHOOK_ALLOW_HOSTS: z.string().default(''),
    ARGUS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    ARGUS_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
    ARGUS_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
    ARGUS_WEBHOOK_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    ARGUS_SLA_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    ARGUS_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
    ARGUS_GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
    ARGUS_GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
    ARGUS_GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(5000),
    ARGUS_GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).optional(),
    ARGUS_GRAPHQL_PLAYGROUND: z.enum(['true', 'false']).optional(),
    ARGUS_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    ARGUS_RATE_LIMIT_PER_USER: z.coerce.number().int().min(0).max(1_000_000).default(600),
    ARGUS_RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(120),
    ARGUS_INBOUND_RATE_PER_SOURCE: z.coerce.number().int().min(0).max(1_000_000).default(200),
    ARGUS_INBOUND_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
    ARGUS_INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(6),
    ARGUS_INBOUND_QUEUE: z.coerce.number().int().min(0).max(1_000_000).default(2000),
    ARGUS_INBOUND_QUEUE_PER_SOURCE: z.coerce.number().int().min(0).max(1_000_000).default(500),
    ARGUS_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    ARGUS_SIGNUP: z.enum(['open', 'invite', 'closed']).default('open'),
    ARGUS_FAST_PATHS: z
      .string()
      .default(FAST_PATHS.join(','))
      .refine((v) => parseFastPaths(v) !== null, `a comma-separated list of ${FAST_PATHS.join(', ')}, or none`),
    ARGUS_ENCRYPTION_KEY: z.string().min(32, 'ARGUS_ENCRYPTION_KEY must be at least 32 characters').optional(),
    ARGUS_SSO_ALLOW_HTTP_ISSUER: z.enum(['true', 'false']).default('false'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ARGUS_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(400).default(20),
    ARGUS_COMPRESS_JSON: z.enum(['true', 'false']).default('false'),
    ARGUS_METRICS_TOKEN: z.string().min(16, 'ARGUS_METRICS_TOKEN must be at least 16 characters').optional(),
    ARGUS_AI_PROVIDER: z.enum(['local', 'openai']).default('local'),
    ARGUS_AI_BASE_URL: z.string().url().optional(),
    ARGUS_AI_API_KEY: z.string().min(1).optional(),
    ARGUS_AI_CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
    ARGUS_AI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
    ARGUS_AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
    ARGUS_AI_STRUCTURED_OUTPUT: z.enum(['json_schema', 'tool_calling']).default('json_schema'),
    ARGUS_AI_CLASSIFY_ON_CREATE: z.enum(['embedded', 'model']).default('embedded'),
    ARGUS_AI_CREATE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
    ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    ARGUS_EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(100),
  })
  .superRefine((e, ctx) => {
    // OpenAI itself needs a key; a self-hosted OpenAI-compatible server (vLLM, Ollama, LM Studio) usually does not.
    if (e.ARGUS_AI_PROVIDER === 'openai' && !e.ARGUS_AI_BASE_URL && !e.ARGUS_AI_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ARGUS_AI_API_KEY'],
        message: 'required with ARGUS_AI_PROVIDER=openai unless ARGUS_AI_BASE_URL names a server that needs none',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** What one GraphQL operation may ask for; checked before it runs (src/graphql/limits.ts). */
export interface GraphQLLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

/**
 * `ratePerSource`: alerts a second a verified source may send to one process (0: no limit); `concurrency`: ingest
 * transactions at once; `queue` / `queuePerSource`: alerts that may wait for one, beyond which a sender gets 429.
 */
export interface InboundLimits {
  ratePerSource: number;
  /** The window the rate is counted over: a burst of this many seconds' worth passes at once. */
  rateWindowSeconds: number;
  concurrency: number;
  queue: number;
  queuePerSource: number;
}

export type SignupMode = 'open' | 'invite' | 'closed';

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlDays: number };
  bodyLimit: string;
  /** The body limit of POST /api/v1/incidents/import (files of past incidents). */
  importBodyLimit: string;
  demoData: boolean;
  /**
   * Which peers' X-Forwarded-For is believed when deciding a request's client address (Express's `trust proxy`): a
   * boolean, a number of proxy hops in front of Argus, or addresses, CIDRs and named ranges.
   */
  trustProxy: boolean | number | string[];
  publicUrl?: string;
  /** How often the SLA breach job runs; 0 turns it off in this process (another process runs it). */
  slaCheckIntervalSeconds: number;
  logLevel: Env['LOG_LEVEL'];
  /** V8's heap growth between major collections, in percent (src/config/heap.ts); 0 leaves V8's own heuristics. */
  heapGrowingPercent: number;
  /** Compress JSON answers for clients that accept it (src/http/json-compression.ts); pages and assets always are. */
  compressJson: boolean;
  /** Bearer token /metrics requires; unset, /metrics answers loopback clients only (src/api/http/metrics.ts). */
  metricsToken?: string;
  graphql: GraphQLLimits & { introspection: boolean; playground: boolean; hideSuggestions: boolean };
  /** Requests per window; 0 turns a limit off. `perIp` applies to requests without a valid access token. */
  rateLimit: { windowSeconds: number; perUser: number; perIp: number };
  /** Inbound alerts (src/modules/webhook-sources/ingest-gate.ts): each process's limits, counted in alerts. */
  inbound: InboundLimits;
  /** How long a process may answer token checks from memory; changes made through another process show within it. */
  authCacheMs: number;
  /**
   * Who may create an account: anyone (`open`), invited people (`invite`), nobody new (`closed`); the first owner
   * always.
   */
  signup: SignupMode;
  /** The fast paths in use (db/fast/switches.ts); the others answer through the plain ORM path. */
  fastPaths: FastPath[];
  /** The key material secrets stored encrypted are sealed under (ARGUS_ENCRYPTION_KEY, else the JWT secret). */
  encryptionKey: string;
  /** Single sign-on: whether an identity provider's issuer may be plain http on a host that is not loopback. */
  sso: { allowHttpIssuer: boolean };
  /** `pollMs` 0: this process does not deliver webhooks (any number of processes may). */
  webhooks: { allowHosts: string; timeoutMs: number; maxAttempts: number; pollMs: number; backoffMs: number };
  ai: AiConfig;
}

/**
 * Which model answers the AI features. `local`: the embedded models only (no network). `openai`: an OpenAI-compatible
 * endpoint through LangChain, with the embedded models as the fallback. A model name of `local` keeps that part
 * (chat or embeddings) on the embedded model, e.g. for a server that only serves chat.
 */
export interface AiConfig {
  provider: 'local' | 'openai';
  baseUrl?: string;
  apiKey?: string;
  /** Null: structured answers (drafts, classification, search parsing) stay on the embedded path. */
  chatModel: string | null;
  /** Null: embeddings stay on the embedded model. */
  embeddingModel: string | null;
  timeoutMs: number;
  /** How structured output is asked for: `response_format: json_schema`, or a forced tool call. */
  structuredOutput: 'json_schema' | 'tool_calling';
  /**
   * Who classifies an incident being created: the embedded classifier (default: creation never waits for a network
   * call), or the chat model under `createTimeoutMs`, falling back to the embedded classifier.
   */
  classifyOnCreate: 'embedded' | 'model';
  createTimeoutMs: number;
  /**
   * The re-embedding job: how often it looks for incidents not embedded by the configured model (0: not in this
   * process), and its batch.
   */
  embeddingJobIntervalSeconds: number;
  embeddingBatchSize: number;
}

/** Parses and validates the environment once; throws a readable error listing every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.ARGUS_DATA_DIR);
  const jwtSecret = e.ARGUS_JWT_SECRET ?? localSecret(dataDir, e.NODE_ENV);
  const introspection = e.ARGUS_GRAPHQL_INTROSPECTION
    ? e.ARGUS_GRAPHQL_INTROSPECTION === 'true'
    : e.NODE_ENV !== 'production';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    embeddedPgPort: e.ARGUS_EMBEDDED_PG_PORT,
    jwt: {
      secret: jwtSecret,
      issuer: e.ARGUS_JWT_ISSUER,
      audience: e.ARGUS_JWT_AUDIENCE,
      accessTtlSeconds: e.ARGUS_ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: e.ARGUS_REFRESH_TOKEN_TTL_DAYS,
    },
    bodyLimit: e.ARGUS_BODY_LIMIT,
    importBodyLimit: e.ARGUS_IMPORT_BODY_LIMIT,
    // Demo data by default for a local try-out, never by default in production.
    demoData: e.ARGUS_DEMO_DATA ? e.ARGUS_DEMO_DATA === 'true' : e.NODE_ENV !== 'production',
    trustProxy: parseTrustProxy(e.ARGUS_TRUST_PROXY)!,
    publicUrl: e.ARGUS_PUBLIC_URL,
    slaCheckIntervalSeconds: e.ARGUS_SLA_CHECK_INTERVAL_SECONDS,
    logLevel: e.LOG_LEVEL,
    heapGrowingPercent: e.ARGUS_HEAP_GROWING_PERCENT,
    compressJson: e.ARGUS_COMPRESS_JSON === 'true',
    metricsToken: e.ARGUS_METRICS_TOKEN,
    graphql: {
      maxDepth: e.ARGUS_GRAPHQL_MAX_DEPTH,
      maxAliases: e.ARGUS_GRAPHQL_MAX_ALIASES,
      maxCost: e.ARGUS_GRAPHQL_MAX_COST,
      maxTokens: e.ARGUS_GRAPHQL_MAX_TOKENS,
      // Production does not describe the schema to whoever asks, unless told otherwise; "did you mean" hints would
      // describe it one field at a time, so they go whenever introspection does.
      introspection,
      playground: e.ARGUS_GRAPHQL_PLAYGROUND ? e.ARGUS_GRAPHQL_PLAYGROUND === 'true' : e.NODE_ENV !== 'production',
      hideSuggestions: !introspection,
    },
    inbound: {
      ratePerSource: e.ARGUS_INBOUND_RATE_PER_SOURCE,
      rateWindowSeconds: e.ARGUS_INBOUND_RATE_WINDOW_SECONDS,
      concurrency: e.ARGUS_INBOUND_CONCURRENCY,
      queue: e.ARGUS_INBOUND_QUEUE,
      queuePerSource: e.ARGUS_INBOUND_QUEUE_PER_SOURCE,
    },
    authCacheMs: e.ARGUS_AUTH_CACHE_MS,
    signup: e.ARGUS_SIGNUP,
    fastPaths: parseFastPaths(e.ARGUS_FAST_PATHS)!,
    encryptionKey: e.ARGUS_ENCRYPTION_KEY ?? jwtSecret,
    sso: { allowHttpIssuer: e.ARGUS_SSO_ALLOW_HTTP_ISSUER === 'true' },
    rateLimit: {
      windowSeconds: e.ARGUS_RATE_LIMIT_WINDOW_SECONDS,
      perUser: e.ARGUS_RATE_LIMIT_PER_USER,
      perIp: e.ARGUS_RATE_LIMIT_PER_IP,
    },
    webhooks: {
      allowHosts: e.ARGUS_WEBHOOK_ALLOW_HOSTS,
      timeoutMs: e.ARGUS_WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.ARGUS_WEBHOOK_MAX_ATTEMPTS,
      pollMs: e.ARGUS_WEBHOOK_POLL_MS,
      backoffMs: e.ARGUS_WEBHOOK_BACKOFF_MS,
    },
    ai: {
      provider: e.ARGUS_AI_PROVIDER,
      baseUrl: e.ARGUS_AI_BASE_URL,
      apiKey: e.ARGUS_AI_API_KEY,
      chatModel: e.ARGUS_AI_PROVIDER === 'openai' && e.ARGUS_AI_CHAT_MODEL !== 'local' ? e.ARGUS_AI_CHAT_MODEL : null,
      embeddingModel:
        e.ARGUS_AI_PROVIDER === 'openai' && e.ARGUS_AI_EMBEDDING_MODEL !== 'local' ? e.ARGUS_AI_EMBEDDING_MODEL : null,
      timeoutMs: e.ARGUS_AI_TIMEOUT_MS,
      structuredOutput: e.ARGUS_AI_STRUCTURED_OUTPUT,
      classifyOnCreate: e.ARGUS_AI_CLASSIFY_ON_CREATE,
      createTimeoutMs: e.ARGUS_AI_CREATE_TIMEOUT_MS,
      embeddingJobIntervalSeconds: e.ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS,
      embeddingBatchSize: e.ARGUS_EMBEDDING_BATCH_SIZE,
    },
  };
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** ARGUS_TRUST_PROXY as Express takes it; undefined when it is not valid. */
export function parseTrustProxy(value: string): boolean | number | string[] | undefined {
  const v = value.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v) <= 10 ? Number(v) : undefined;
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) return undefined;
  const valid = entries.every((entry) => {
    if (NAMED_RANGES.has(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (!family || rest.length) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  return valid ? entries : undefined;
}

/**
 * Without ARGUS_JWT_SECRET a random secret is generated once and kept in the data folder, so tokens survive
 * restarts of a local install. Production must set the variable.
 */
function localSecret(dataDir: string, env: Env['NODE_ENV']): string {
  if (env === 'production') throw new Error('Invalid configuration:\n  ARGUS_JWT_SECRET: required in production');
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  // Written whole under another name, then linked into place (atomic, and refused if it exists): of two processes
  // starting together on one data folder, both end up with the first one's secret.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, randomBytes(48).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(file, 'utf8').trim();
}

/** `lists,compiled-reads`, `none` → the paths; null for a name that is not one. */
export function parseFastPaths(value: string): FastPath[] | null {
  const names = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  return names.every((n): n is FastPath => (FAST_PATHS as readonly string[]).includes(n)) ? [...new Set(names)] : null;
}
