import type { Request } from 'express';
import { type BearerHeader, parseBearer } from '../../core/bearer.js';

const read = new WeakMap<Request, BearerHeader>();

/** The request's `Authorization` header, parsed once and kept for every layer that needs it (rate limits, context). */
export function bearerOf(req: Request): BearerHeader {
  let bearer = read.get(req);
  if (!bearer) {
    bearer = parseBearer(req.headers.authorization);
    read.set(req, bearer);
  }
  return bearer;
}
