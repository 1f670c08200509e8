import type { IncidentText } from '../models/text-features.js';

/**
 * What the words of a service name cannot say: whether the incident has a service at all, and whether the name
 * qualifies a product with the parts affected ("Trello (Trello.com, API)") rather than naming the product alone
 * ("Trello"). On status pages an incident that names no affected part is mostly a notice; each organization's
 * regression learns what the shape means in its own history.
 */
export const SERVICE_SHAPES = ['no service', 'service names its affected parts'] as const;

/** A name followed by an opening parenthesis: a long list of parts may be cut before it closes. */
const NAMES_PARTS = /\S\s*\(\s*\S/;

/** Indices into SERVICE_SHAPES of the shapes an incident has. */
export function serviceShapeIndices(doc: IncidentText): number[] {
  const service = doc.service?.trim();
  if (!service) return [0];
  return NAMES_PARTS.test(service) ? [1] : [];
}
