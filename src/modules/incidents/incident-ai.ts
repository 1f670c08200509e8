import type { EntityManager } from '@mikro-orm/postgresql';
import type { Severity } from './incident.enums.js';
import type { Incident } from './incident.entity.js';

/**
 * What incident writes need of the AI, declared here so that the domain does not import it: src/ai implements both
 * (the severity classifier and the similar-incident index) and the composition root hands them in.
 */
export interface SeveritySuggester {
  classify(
    organizationId: string,
    input: { title: string; description?: string | null; serviceId?: string | null },
    scope?: { em?: EntityManager },
  ): Promise<{ severity: Severity; confidence: number; model: string }>;
}

/** Index changes written by the creation's own statement instead of at commit. */
export interface ClaimedChanges {
  ctes: string[];
  params: unknown[];
  select: string;
  settle(versions: Array<number | string>): void;
}

export interface SimilarIndexWriter {
  readonly changes: {
    claim(em: EntityManager, organizationId: string, after: string | null): ClaimedChanges | null;
  } | null;
  recordIncident(em: EntityManager, organizationId: string, incident: Incident, isNew: boolean): Promise<void>;
  forgetIncident(em: EntityManager, organizationId: string, incidentId: string): Promise<void>;
}
