import artefact from '../models/severity-prior.json';
import { SeverityPrior, SeverityPriorArtefact } from './severity-prior.js';

/** The committed day-one prior (src/ai/models/severity-prior.json, with its provenance). */
export const SHIPPED_PRIOR: SeverityPriorArtefact = artefact;

export function shippedPrior(): SeverityPrior {
  return new SeverityPrior(SHIPPED_PRIOR);
}
