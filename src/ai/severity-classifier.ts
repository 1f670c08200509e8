import { Severity } from '../modules/incidents/incident.enums.js';
import { HistoryIncident, SeverityModel, SeverityModelOptions, SeverityPrediction } from './severity-model.js';
import { SeverityPrior } from './severity-prior.js';
import { words } from './text-features.js';

export const SEVERITIES: Severity[] = [Severity.P1, Severity.P2, Severity.P3, Severity.P4];

/** The name every answer carries. */
export const SEVERITY_MODEL_NAME = 'argus-severity-v1';

export interface ClassificationInput {
  title: string;
  description?: string | null;
  /** The incident's service, when known (incident creation); its name is part of the text the model reads. */
  serviceId?: string | null;
}

export interface SeverityClassification {
  severity: Severity;
  /** Calibrated: of the answers given with confidence 0.8, about 80% are right. */
  confidence: number;
  reasoning: string;
  model: string;
  suggestedServiceId: string | null;
  suggestedTeamId: string | null;
}

export interface SeverityClassifier {
  classify(organizationId: string, input: ClassificationInput): Promise<SeverityClassification>;
}

export interface CatalogService {
  id: string;
  name: string;
  teamId: string | null;
}

/** What the classifier knows of an organization, from the database in the API and from files in the evaluation. */
export interface HistorySource {
  /** Changes whenever the labelled history or the service catalog changes (a cheap query). */
  signature(organizationId: string): Promise<string>;
  /** The labelled incidents (severities people set or confirmed), at most `limit`, the most recent ones. */
  labelled(organizationId: string, limit: number): Promise<HistoryIncident[]>;
  services(organizationId: string): Promise<CatalogService[]>;
}

export interface ClassifierOptions {
  /** Histories up to this size are retrained in the request that finds them changed; larger ones in the background. */
  syncRetrainLimit: number;
  /** The most recent labelled incidents a model learns from. */
  historyLimit: number;
  /** Organizations whose models are kept in memory (least recently used beyond it are dropped). */
  cacheSize: number;
  /** Background retrains of one organization are at least this far apart. */
  minRetrainIntervalMs: number;
  model: Partial<SeverityModelOptions>;
  /** Called when a background retrain fails (the previous model keeps answering). */
  onError?: (error: unknown, organizationId: string) => void;
}

export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = {
  syncRetrainLimit: 300,
  historyLimit: 5000,
  cacheSize: 100,
  minRetrainIntervalMs: 30_000,
  model: {},
};

interface OrganizationModel {
  signature: string;
  model: SeverityModel;
  services: CatalogService[];
  trainedAt: number;
  /** A background retrain in flight. */
  retraining?: Promise<void>;
}

/** Neighbours below this similarity are not named as evidence and do not suggest a service. */
const EVIDENCE_SIMILARITY = 0.3;

/**
 * The severity classifier of the API: one SeverityModel per organization, trained lazily from that organization's
 * labelled history (never another's), cached in memory and retrained when the history changes. Small histories are
 * retrained at once; large ones keep answering with the previous model while a new one trains in the background.
 * Everything is rebuilt from the history source, so any process can serve any organization.
 */
export class LearnedSeverityClassifier implements SeverityClassifier {
  readonly model = SEVERITY_MODEL_NAME;
  private readonly options: ClassifierOptions;
  private readonly cache = new Map<string, OrganizationModel>();

  constructor(private readonly history: HistorySource, private readonly prior: SeverityPrior, options: Partial<ClassifierOptions> = {}) {
    this.options = { ...DEFAULT_CLASSIFIER_OPTIONS, ...options };
  }

  async classify(organizationId: string, input: ClassificationInput): Promise<SeverityClassification> {
    const entry = await this.modelFor(organizationId);
    const service = input.serviceId ? entry.services.find((s) => s.id === input.serviceId) ?? null : null;
    const prediction = entry.model.predict({ title: input.title, description: input.description, service: service?.name ?? null });
    const suggestion = suggestOwner(input, service, entry.services, prediction);
    return {
      severity: SEVERITIES[prediction.severity],
      confidence: Math.round(prediction.confidence * 1000) / 1000,
      reasoning: explain(prediction, entry.model.historySize, suggestion.why),
      model: this.model,
      suggestedServiceId: suggestion.serviceId,
      suggestedTeamId: suggestion.teamId,
    };
  }

  /** Waits for any background retrain in flight (tests and the evaluation use it to observe a settled state). */
  async settle(): Promise<void> {
    await Promise.all([...this.cache.values()].map((e) => e.retraining));
  }

  private async modelFor(organizationId: string): Promise<OrganizationModel> {
    const signature = await this.history.signature(organizationId);
    const cached = this.cache.get(organizationId);
    if (cached) {
      // Least recently used order: a hit moves the organization to the end.
      this.cache.delete(organizationId);
      this.cache.set(organizationId, cached);
      if (cached.signature === signature) return cached;
      if (cached.model.historySize > this.options.syncRetrainLimit) {
        this.retrainInBackground(organizationId, cached);
        return cached;
      }
    }
    const entry = await this.train(organizationId, signature);
    this.remember(organizationId, entry);
    return entry;
  }

  private async train(organizationId: string, signature: string): Promise<OrganizationModel> {
    const [history, services] = await Promise.all([
      this.history.labelled(organizationId, this.options.historyLimit),
      this.history.services(organizationId),
    ]);
    return { signature, model: SeverityModel.train(history, this.prior, this.options.model), services, trainedAt: Date.now() };
  }

  private retrainInBackground(organizationId: string, cached: OrganizationModel): void {
    if (cached.retraining || Date.now() - cached.trainedAt < this.options.minRetrainIntervalMs) return;
    cached.retraining = (async () => {
      try {
        // Read the signature first: a change made while training is then seen as a change next time.
        const signature = await this.history.signature(organizationId);
        this.remember(organizationId, await this.train(organizationId, signature));
      } catch (error) {
        this.options.onError?.(error, organizationId);
      } finally {
        cached.retraining = undefined;
      }
    })();
  }

  private remember(organizationId: string, entry: OrganizationModel): void {
    this.cache.delete(organizationId);
    this.cache.set(organizationId, entry);
    while (this.cache.size > this.options.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }
}

interface OwnerSuggestion {
  serviceId: string | null;
  teamId: string | null;
  why: string | null;
}

/**
 * The service named in the text (the longest catalog name found as whole words), else the service the close
 * neighbours agree on (at least half of their similarity); the team is that service's team, else the neighbours'.
 * An incident that already has a service keeps it as the suggestion.
 */
function suggestOwner(input: ClassificationInput, known: CatalogService | null, services: CatalogService[], prediction: SeverityPrediction): OwnerSuggestion {
  if (known) return { serviceId: known.id, teamId: known.teamId, why: null };
  const text = ` ${words(`${input.title} ${input.description ?? ''}`).join(' ')} `;
  const named = services
    .map((s) => ({ service: s, phrase: words(s.name).join(' ') }))
    .filter(({ phrase }) => phrase.length > 0 && text.includes(` ${phrase} `))
    .sort((a, b) => b.phrase.length - a.phrase.length)[0];
  if (named) return { serviceId: named.service.id, teamId: named.service.teamId, why: `the text names the service "${named.service.name}"` };
  const close = prediction.neighbours.filter((n) => n.score >= EVIDENCE_SIMILARITY);
  const total = close.reduce((sum, n) => sum + n.score, 0);
  const vote = (key: (h: HistoryIncident) => string | null): string | null => {
    const tally = new Map<string, number>();
    for (const n of close) {
      const value = key(n.incident);
      if (value) tally.set(value, (tally.get(value) ?? 0) + n.score);
    }
    const [best] = [...tally].sort((a, b) => b[1] - a[1]);
    return best && best[1] >= total / 2 ? best[0] : null;
  };
  const serviceId = vote((h) => h.serviceId);
  const service = serviceId ? services.find((s) => s.id === serviceId) ?? null : null;
  if (service) return { serviceId: service.id, teamId: service.teamId, why: `similar past incidents were on "${service.name}"` };
  const teamId = vote((h) => h.teamId);
  return { serviceId: null, teamId, why: teamId ? 'similar past incidents were handled by the suggested team' : null };
}

function explain(prediction: SeverityPrediction, historySize: number, ownerWhy: string | null): string {
  const parts: string[] = [];
  parts.push(
    prediction.cues.length
      ? `Severity cues: ${prediction.cues.map((c) => `"${c.name}" (→ ${c.leansTo})`).join(', ')}.`
      : 'No general severity cue in the text.',
  );
  const similar = prediction.neighbours.filter((n) => n.score >= EVIDENCE_SIMILARITY).slice(0, 3);
  if (similar.length) {
    const named = similar.map((n) => `${n.incident.key ?? n.incident.id} "${truncate(n.incident.title, 60)}" (${SEVERITIES[n.incident.severity]}, similarity ${n.score.toFixed(2)})`);
    parts.push(`Similar past incidents: ${named.join('; ')}.`);
  }
  parts.push(
    historySize
      ? `Learned from ${historySize} labelled incident${historySize === 1 ? '' : 's'} of this organization, combined with the day-one prior.`
      : 'No labelled history in this organization yet: the day-one prior alone.',
  );
  if (ownerWhy) parts.push(`Suggested owner: ${ownerWhy}.`);
  return parts.join(' ');
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
