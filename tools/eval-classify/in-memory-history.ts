import type { CatalogService, HistorySource, HistoryVersion } from '../../src/ai/classify/severity-classifier.js';
import type { HistoryIncident } from '../../src/ai/classify/severity-model.js';

/**
 * A history source over records in memory, for the evaluation: each "organization" is one source of the data, with
 * the history it would have in Argus (its earlier incidents, labelled) and its service catalog.
 */
export class InMemoryHistory implements HistorySource {
  private readonly organizations = new Map<
    string,
    { incidents: HistoryIncident[]; services: CatalogService[]; version: number }
  >();

  set(organizationId: string, incidents: HistoryIncident[], services: CatalogService[]): void {
    const version = (this.organizations.get(organizationId)?.version ?? 0) + 1;
    this.organizations.set(organizationId, { incidents, services, version });
  }

  async signature(organizationId: string): Promise<HistoryVersion> {
    const version = String(this.organizations.get(organizationId)?.version ?? 0);
    return { history: version, services: version };
  }

  async labelled(organizationId: string, limit: number): Promise<HistoryIncident[]> {
    const incidents = this.organizations.get(organizationId)?.incidents ?? [];
    return [...incidents].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, limit);
  }

  async services(organizationId: string): Promise<CatalogService[]> {
    return this.organizations.get(organizationId)?.services ?? [];
  }
}
