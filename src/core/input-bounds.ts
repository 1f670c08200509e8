import { AppError } from './errors.js';

/**
 * The bounds every decoded input meets before anything else reads it (REST bodies, query strings and path
 * parameters, GraphQL variables and literals, inbound alert payloads): JSON nested at most MAX_JSON_DEPTH levels
 * (objects and arrays), and no NUL character in any string or key (PostgreSQL text cannot hold one). A value
 * outside them is refused with 400 VALIDATION_FAILED naming the field; nothing is stripped or rewritten.
 */
export const MAX_JSON_DEPTH = 32;

/** The first bound `value` breaks, as the client's error; undefined when it keeps them all. Iterative (no stack). */
export function checkInputValue(value: unknown, field: string): AppError | undefined {
  const stack: Array<[unknown, number, string]> = [[value, 0, field]];
  while (stack.length) {
    const [current, depth, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return nulError(path);
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_JSON_DEPTH) return depthError(path);
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], depth + 1, path]);
      continue;
    }
    for (const [key, child] of Object.entries(current as Record<string, unknown>)) {
      if (key.includes('\u0000')) return nulError(path);
      stack.push([child, depth + 1, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

/** Throws the error of checkInputValue. */
export function assertInputValue(value: unknown, field: string): void {
  const error = checkInputValue(value, field);
  if (error) throw error;
}

export function nulError(field: string): AppError {
  return AppError.validation(field || 'body', 'must not contain a NUL character (\\u0000)');
}

export function depthError(field: string): AppError {
  return AppError.validation(
    field || 'body',
    `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
  );
}

/** decodeURIComponent that answers a malformed escape (`%E0%A4%A`) with 400 naming the field, not a URIError. */
export function decodePathSegment(raw: string, field: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw AppError.validation(field, 'is not valid percent-encoding');
  }
  if (decoded.includes('\u0000')) throw nulError(field);
  return decoded;
}
