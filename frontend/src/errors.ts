import type { CombinedError } from 'urql';

/** An error from the API, as the console shows it: the documented code, a message, and messages per form field. */
export interface ApiError {
  code: string;
  message: string;
  /** Field (camelCase, as the forms name them) → message, from VALIDATION_FAILED details and the like. */
  fields: Record<string, string>;
  /** Seconds, from Retry-After on RATE_LIMITED. */
  retryAfter?: number;
}

interface Detail {
  field: string;
  message: string;
}

/** `input.service_id` and `serviceId` both name the form field `serviceId`. */
export function fieldName(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function isDetail(value: unknown): value is Detail {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Detail).field === 'string' &&
    typeof (value as Detail).message === 'string'
  );
}

export function apiError(code: string, message: string, details: unknown, retryAfter?: string | null): ApiError {
  const fields: Record<string, string> = {};
  if (Array.isArray(details)) for (const d of details) if (isDetail(d)) fields[fieldName(d.field)] ??= d.message;
  const seconds = retryAfter ? Number(retryAfter) : undefined;
  const text =
    code === 'RATE_LIMITED' && seconds && Number.isFinite(seconds)
      ? `Too many requests: try again in ${seconds} s.`
      : message;
  return { code, message: text, fields, ...(seconds && Number.isFinite(seconds) ? { retryAfter: seconds } : {}) };
}

/** A REST error body (`{"error": {code, message, details}}`) and its response. */
export async function fromResponse(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: a proxy's page, a network error
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    return apiError(
      error.code,
      typeof error.message === 'string' ? error.message : error.code,
      error.details,
      res.headers.get('retry-after'),
    );
  }
  return apiError(
    res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL',
    `The server answered ${res.status}`,
    null,
    res.headers.get('retry-after'),
  );
}

/** The first GraphQL error of an urql result, or its network error. */
export function fromCombined(error: CombinedError): ApiError {
  const first = error.graphQLErrors[0];
  const response = error.response as Response | undefined;
  const retryAfter =
    response && typeof response.headers?.get === 'function' ? response.headers.get('retry-after') : null;
  if (first) {
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL';
    return apiError(code, first.message, first.extensions?.details, retryAfter);
  }
  return apiError(
    'NETWORK',
    'The Argus API could not be reached. Check your connection and try again.',
    null,
    retryAfter,
  );
}

export function isNotFound(error: CombinedError | undefined): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === 'NOT_FOUND');
}
