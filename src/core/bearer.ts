/** What an `Authorization` header carries, read by the one rule every route uses. */
export type BearerHeader = { kind: 'none' } | { kind: 'malformed' } | { kind: 'token'; token: string };

const BEARER = /^Bearer\s+(\S+)$/i;

/** `Bearer <token>` (case-insensitive scheme, one token, surrounding blanks ignored); anything else is malformed. */
export function parseBearer(header: string | string[] | null | undefined): BearerHeader {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return { kind: 'none' };
  const match = BEARER.exec(value);
  return match ? { kind: 'token', token: match[1] } : { kind: 'malformed' };
}
