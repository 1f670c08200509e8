import pino, { DestinationStream, Logger } from 'pino';

/**
 * The one logger. Whatever a caller passes, a log line carries no value a client sent or a secret (redactLogObject):
 * fields named like secrets or like request values are replaced, errors keep their type, SQLSTATE and stack but never
 * an SQL statement or its values, and messages that look like SQL are dropped.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'argus' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => redactLogObject(object) as Record<string, unknown> },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const REDACTED = '[redacted]';
/** Field names whose values are secrets wherever they appear. */
const SECRET_KEY =
  /pass(word)?|secret|token|authorization|cookie|api.?key|hash|mfa|otp|recovery|signature|credential|private.?key|email/i;
/** Field names that hold what a client sent or a statement's values. */
const VALUE_KEY =
  /^(body|variables|params|parameters|bindings|input|args|arguments|sql|query|detail|where|data|payload|headers)$/i;
const SQL = /\b(select|insert|update|delete|with)\b[\s\S]*\b(from|into|set|values|where|returning)\b/i;
const MAX_DEPTH = 6;

/** A log object with secrets, client values and SQL removed (see createLogger). */
export function redactLogObject(value: unknown, key = '', depth = 0): unknown {
  if (key && SECRET_KEY.test(key)) return REDACTED;
  if (key && VALUE_KEY.test(key)) return REDACTED;
  if (value instanceof Error) return safeError(value, depth);
  if (typeof value === 'string')
    return key === 'error' || key === 'message' || key === 'msg' || key === 'reason' ? safeMessage(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactLogObject(v, '', depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactLogObject(v, k, depth + 1);
  return out;
}

/**
 * An error as a log shows it: type, SQLSTATE or code, a safe message, the stack below its first line, and its cause.
 */
function safeError(error: Error, depth: number): Record<string, unknown> {
  const e = error as Error & { code?: unknown; sqlState?: unknown; constraint?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z0-9_]{2,40}$/i.test(e.code) ? e.code : undefined;
  // A driver error's message is the statement with its values followed by the database's message, which may quote
  // values too: only its SQLSTATE and constraint name are kept.
  const driver = error.name.endsWith('Exception') || /^[0-9A-Z]{5}$/.test(code ?? '');
  const message = driver
    ? `database error${code ? ` (SQLSTATE ${code})` : ''}${typeof e.constraint === 'string' ? ` on constraint ${e.constraint}` : ''}`
    : safeMessage(error.message);
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 15)
    .join('\n');
  return {
    type: error.name,
    message,
    ...(code ? { code } : {}),
    stack: `${error.name}: ${message}\n${frames}`,
    ...(e.cause !== undefined && depth < MAX_DEPTH ? { cause: redactLogObject(e.cause, 'cause', depth + 1) } : {}),
  };
}

function safeMessage(message: string): string {
  if (SQL.test(message)) return '[message redacted: it quotes a statement]';
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
