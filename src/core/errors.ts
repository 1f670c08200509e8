import { GraphQLError, GraphQLFormattedError, GraphQLSchema, isEnumType } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError as ClassValidationError } from 'class-validator';
import { NotFoundError, UniqueConstraintViolationException, DriverException } from '@mikro-orm/core';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'BUSY'
  | 'IDENTITY_PROVIDER_UNAVAILABLE'
  | 'INTERNAL';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  IDENTITY_PROVIDER_UNAVAILABLE: 502,
  INTERNAL: 500,
  BUSY: 503,
};

export interface ErrorDetail {
  field: string;
  message: string;
}

/** The one error type of Argus: a code, a safe message, optional field details and HTTP headers. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(field: string, message: string): AppError {
    return new AppError('VALIDATION_FAILED', `${field} ${message}`, [{ field, message }]);
  }
  static notFound(entity: string): AppError {
    return new AppError('NOT_FOUND', `${entity} not found`);
  }
  static conflict(message: string, details?: ErrorDetail[]): AppError {
    return new AppError('CONFLICT', message, details);
  }
  static unauthenticated(message = 'Authentication required'): AppError {
    return new AppError('UNAUTHENTICATED', message);
  }
  static forbidden(message = 'Your role does not allow this action'): AppError {
    return new AppError('FORBIDDEN', message);
  }
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
}

/**
 * Anything thrown, mapped to the public error shape. A GraphQLError without a path is a request error (syntax,
 * validation, variable coercion) and becomes VALIDATION_FAILED; anything unknown from execution is INTERNAL and never
 * leaks its message.
 */
export function toErrorBody(error: unknown, schema?: GraphQLSchema): ErrorBody & { headers?: Record<string, string> } {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const known = fromKnownError(original);
  if (known) return known;
  if (error instanceof GraphQLError && !error.path) return fromGraphQLMessage(error, schema);
  return { code: 'INTERNAL', message: 'Internal server error' };
}

function fromKnownError(original: unknown): (ErrorBody & { headers?: Record<string, string> }) | undefined {
  if (original instanceof AppError) {
    return { code: original.code, message: original.message, details: original.details, headers: original.headers };
  }
  if (original instanceof ArgumentValidationError) {
    const details = flattenValidation(original.extensions.validationErrors);
    return { code: 'VALIDATION_FAILED', message: details.map((d) => `${d.field} ${d.message}`).join('; '), details };
  }
  if (original instanceof UniqueConstraintViolationException) {
    return { code: 'CONFLICT', message: 'A record with the same unique value already exists' };
  }
  if (original instanceof NotFoundError) {
    return { code: 'NOT_FOUND', message: 'Record not found' };
  }
  if (original instanceof DriverException) {
    const sqlState = (original as DriverException & { code?: string }).code;
    // Wrong formats and ranges, and (should a value pass the input bounds) a NUL in text or JSON: the client's to fix.
    if (sqlState && ['22P02', '22007', '22008', '22003', '22001', '22021', '22P05', '54001'].includes(sqlState)) {
      return { code: 'VALIDATION_FAILED', message: 'A value has the wrong format or is out of range' };
    }
  }
  return undefined;
}

function flattenValidation(errors: ClassValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors ?? []) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const msg of Object.values(e.constraints ?? {})) {
      out.push({ field, message: msg.startsWith(e.property + ' ') ? msg.slice(e.property.length + 1) : msg });
    }
    if (e.children?.length) out.push(...flattenValidation(e.children, field));
  }
  return out;
}

const ENUM_RE = /Value "([^"]*)" does not exist in "(\w+)" enum/;
const AT_RE = /at "([\w.[\]]+)"/;
const NOT_DEFINED_RE = /Field "(\w+)" is not defined by type "?(\w+)"?/;
const REQUIRED_RE = /Field "(\w+)" of required type "([^"]+)" was not provided/;
const VARIABLE_RE = /^Variable "\$(\w+)"/;

/**
 * GraphQL's own request errors (parse, validation, variable coercion) become VALIDATION_FAILED with the field named
 * as the client sent it: the input path without the argument wrapper.
 */
function fromGraphQLMessage(error: GraphQLError, schema?: GraphQLSchema): ErrorBody {
  const code = error.extensions?.code;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || code === 'NOT_FOUND') {
    return { code: code, message: error.message };
  }
  const msg = error.message;
  const at = AT_RE.exec(msg)?.[1];
  const variable = VARIABLE_RE.exec(msg)?.[1];
  const base = at ?? variable;
  const fieldOf = (leaf?: string) => {
    const path = [base, leaf]
      .filter(Boolean)
      .join('.')
      .replace(/\[\d+\]/g, '');
    const parts = path.split('.');
    return parts.length > 1 && (parts[0] === 'input' || parts[0] === 'filter') ? parts.slice(1).join('.') : path;
  };
  const enumMatch = ENUM_RE.exec(msg);
  if (enumMatch) {
    const type = schema?.getType(enumMatch[2]);
    const allowed = type && isEnumType(type) ? type.getValues().map((v) => v.name) : [];
    const message = allowed.length ? `must be one of ${allowed.join(', ')}` : `has an unknown value "${enumMatch[1]}"`;
    return withField(fieldOf(), enumMatch[2], message);
  }
  const unknown = NOT_DEFINED_RE.exec(msg);
  if (unknown) {
    const field = fieldOf(unknown[1]);
    return {
      code: 'VALIDATION_FAILED',
      message: `${field} is not a known field`,
      details: [{ field, message: 'is not a known field' }],
    };
  }
  const required = REQUIRED_RE.exec(msg);
  if (required) {
    const field = fieldOf(required[1]);
    return { code: 'VALIDATION_FAILED', message: `${field} is required`, details: [{ field, message: 'is required' }] };
  }
  if (base) {
    const reason = msg.split('; ').slice(1).join('; ') || 'has an invalid value';
    const clean = reason.replace(/^Expected type "(\w+)"\. ?/, '').replace(/\.$/, '') || 'has an invalid value';
    return withField(fieldOf(), 'value', clean);
  }
  return { code: 'VALIDATION_FAILED', message: msg };
}

/** `field must …` with the field in details; a literal in a query document has no field, so the type is named. */
function withField(field: string, typeName: string, message: string): ErrorBody {
  if (!field) return { code: 'VALIDATION_FAILED', message: `${typeName} ${message}` };
  const text = /^(must|is|has)\b/.test(message) ? `${field} ${message}` : `${field}: ${message}`;
  return { code: 'VALIDATION_FAILED', message: text, details: [{ field, message }] };
}

export interface FormatOptions {
  /** Drop GraphQL's "Did you mean …?" hints, which describe the schema field by field (off with introspection). */
  hideSuggestions?: boolean;
}

/** GraphQL's hints name fields, types and values the client did not ask about. */
export function stripSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}

/** Apollo's formatError: the code in extensions, nothing internal ever in the message. */
export function formatGraphQLError(
  schema: () => GraphQLSchema | undefined,
  log: { error: (obj: object, msg: string) => void },
  options: FormatOptions = {},
) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const body = toErrorBody(error, schema());
    if (body.code === 'INTERNAL') log.error({ err: unwrap(error), path: formatted.path }, 'internal error');
    return {
      message: options.hideSuggestions ? stripSuggestions(body.message) : body.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: body.code, ...(body.details ? { details: body.details } : {}) },
    };
  };
}

/** The error a resolver really threw, for the server's log. */
export function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? error.originalError : error;
}
