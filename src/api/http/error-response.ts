import type { Response } from 'express';
import { AppError, ErrorBody, HTTP_STATUS, toErrorBody } from '../../core/errors.js';
import { toSnake } from '../../core/casing.js';

export type HttpErrorBody = ErrorBody & { status: number; headers?: Record<string, string> };

/** Maps body-parser errors and AppErrors to a status and body; shared by every HTTP route, /graphql included. */
export function httpErrorBody(error: unknown): HttpErrorBody {
  const e = error as { type?: string; status?: number };
  if (e?.type === 'entity.too.large')
    return { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the limit', status: 413 };
  // The router's own decoding of a path parameter (`%E0%A4%A`).
  if (error instanceof URIError)
    return { code: 'VALIDATION_FAILED', message: 'The path is not valid percent-encoding', status: 400 };
  if (e?.type === 'entity.parse.failed')
    return { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON', status: 400 };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body encoding', status: 415 };
  // Any other client error of the body parser (a gzip body that does not inflate, a stream cut short): the body is
  // unreadable, which is the client's to fix, not an internal error.
  if (
    !(error instanceof AppError) &&
    typeof e?.status === 'number' &&
    e.status >= 400 &&
    e.status < 500 &&
    (e as { expose?: boolean }).expose
  ) {
    return { code: 'VALIDATION_FAILED', message: 'The request body could not be read', status: 400 };
  }
  const body = toErrorBody(error);
  return { ...body, status: HTTP_STATUS[body.code] };
}

/** Error details and messages name fields as REST clients send them (snake_case). */
function restErrorBody(body: ErrorBody): ErrorBody {
  const shown: ErrorBody = {
    code: body.code,
    message: body.message,
    ...(body.details ? { details: body.details } : {}),
  };
  if (!shown.details?.length) return shown;
  const details = shown.details.map((d) => ({ ...d, field: toSnake(d.field) }));
  if (shown.code !== 'VALIDATION_FAILED') return { ...shown, details };
  const message = details
    .map((d) => (/^(must|is|has)\b/.test(d.message) ? `${d.field} ${d.message}` : `${d.field}: ${d.message}`))
    .join('; ');
  return { ...shown, message, details };
}

/** How the fields an error names are written: as REST clients send them (snake_case), or as another tool sent them. */
export type FieldNames = 'rest' | 'as-sent';

/**
 * The one writer of an HTTP error answer outside GraphQL: its status, its headers (Retry-After, Allow…) and the
 * documented body `{"error": {code, message, details?}}`.
 */
export function writeError(
  res: Response,
  body: ErrorBody & { headers?: Record<string, string> },
  names: FieldNames = 'rest',
): void {
  if (body.headers) for (const [k, v] of Object.entries(body.headers)) res.setHeader(k, v);
  const shown = { code: body.code, message: body.message, ...(body.details ? { details: body.details } : {}) };
  res.status(HTTP_STATUS[body.code]).json({ error: names === 'rest' ? restErrorBody(shown) : shown });
}

/** `writeError` of any error thrown on a route. */
export function sendError(res: Response, error: unknown, names: FieldNames = 'rest'): HttpErrorBody {
  const body = httpErrorBody(error);
  writeError(res, body, names);
  return body;
}
