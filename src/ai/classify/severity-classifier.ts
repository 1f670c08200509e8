import { Severity } from '../../modules/incidents/incident.enums.js';
import {
  DEFAULT_MODEL_OPTIONS,
  HistoryIncident,
  SeverityModel,
  SeverityPrediction,
  byStart,
} from './severity-model.js';
import { SeverityPrior } from './severity-prior.js';
import { PRIOR_MAX_CONFIDENCE } from './calibration.js';
import { TermCache } from './lexical-neighbours.js';
import { words } from '../models/text-features.js';
import type {
  ClassificationInput,
  SeverityClassification,
  ReadScope,
  SeverityClassifier,
  CatalogService,
  HistoryVersion,
  HistorySource,
  ClassifierOptions,
  ClassifierStatus,
} from './classifier-types.js';
/** The shapes in classifier-types.ts, for the modules that import them from the classifier. */
export type * from './classifier-types.js';

export const SEVERITIES: Severity[] = [Severity.P1, Severity.P2, Severity.P3, Severity.P4];

/** The name every answer carries. */
export const SEVERITY_MODEL_NAME = 'argus-severity-v1';

export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = {
  syncTrainLimit: 300,
  syncRefreshLimit: 2000,
  historyLimit: 5000,
  cacheSize: 100,
  minRetrainIntervalMs: 30_000,
  model: {},
};

interface OrganizationModel {
  signature: HistoryVersion;
  model: SeverityModel;
  /** When the regression and calibration were last fitted (a refresh of the neighbours keeps it). */
  trainedAt: Date;
  /** The quick model of a history too large to fit in a request, until the full fit is ready. */
  provisional?: boolean;
  /** The size of the history when the regression was last fitted (left out: the model's own `trainedOn`). */
  fittedFor?: number;
  services: CatalogService[];
  /** The labelled history the neighbours see (kept for models small enough to follow changes in the request). */
  history?: HistoryIncident[];
  /** Term counts of those incidents, so that a refresh only reads the text of the incidents that changed. */
  terms?: TermCache;
}

/**
 * Changes are read from a little before the cached state's latest change: a creation that committed after a later one
 * (or was stamped by a process whose clock is behind) is still seen. What slips through anyway is caught by the
 * labelled count (an insert) or by the background refit, which re-reads everything.
 */
const CHANGE_OVERLAP_MS = 1000;

interface RetrainState {
  /** When the last full fit started. */
  startedAt: number;
  running?: Promise<void>;
  /** A refit waiting for the interval to pass. */
  timer?: NodeJS.Timeout;
  /** The history the last full fit read: a refit that finds it unchanged does nothing. */
  fitted?: HistoryVersion;
}

function sameSignature(a: HistoryVersion, b: HistoryVersion): boolean {
  return a.history === b.history && a.services === b.services;
}

/**
 * The severity classifier of the API: one SeverityModel per organization, trained lazily from that organization's
 * labelled history (never another's) and cached in memory. When the history changes, the neighbours of a small or
 * medium model follow it at once and the regression and calibration are refitted in the background, at most once per
 * interval. Everything is rebuilt from the history source, so any process can serve any organization.
 */
export class LearnedSeverityClassifier implements SeverityClassifier {
  readonly model = SEVERITY_MODEL_NAME;
  private readonly options: ClassifierOptions;
  private readonly cache = new Map<string, OrganizationModel>();
  private readonly retrains = new Map<string, RetrainState>();

  constructor(
    private readonly history: HistorySource,
    private readonly prior: SeverityPrior,
    options: Partial<ClassifierOptions> = {},
  ) {
    this.options = { ...DEFAULT_CLASSIFIER_OPTIONS, ...options };
  }

  async classify(
    organizationId: string,
    input: ClassificationInput,
    scope: ReadScope = {},
  ): Promise<SeverityClassification> {
    const entry = await this.modelFor(organizationId, scope);
    const service = input.serviceId ? (entry.services.find((s) => s.id === input.serviceId) ?? null) : null;
    const prediction = entry.model.predict({
      title: input.title,
      description: input.description,
      service: service?.name ?? null,
    });
    const suggestion = suggestOwner(input, service, entry.services, prediction);
    const refitPending = this.refitPending(organizationId, entry);
    return {
      refitPending,
      severity: SEVERITIES[prediction.severity],
      confidence: Math.round(prediction.confidence * 1000) / 1000,
      reasoning: explain(prediction, entry.model, suggestion.why),
      model: this.model,
      suggestedServiceId: suggestion.serviceId,
      suggestedTeamId: suggestion.teamId,
      evidence: {
        cues: prediction.cues.map((c) => ({ name: c.name, leansTo: c.leansTo })),
        similar: prediction.neighbours
          .filter((n) => n.score >= EVIDENCE_SIMILARITY)
          .slice(0, 5)
          .map((n) => ({
            key: n.incident.key,
            title: n.incident.title,
            severity: SEVERITIES[n.incident.severity],
            similarity: Math.round(n.score * 100) / 100,
            serviceId: n.incident.serviceId,
            teamId: n.incident.teamId,
          })),
        historySize: entry.model.historySize,
        services: entry.services,
      },
    };
  }

  /**
   * The organization's model as it answers now (loaded or trained as a classification would): when it was fitted, its
   * examples per severity, and whether a refit is pending (the history changed since, or the full fit has not run yet).
   */
  async status(organizationId: string, scope: ReadScope = {}): Promise<ClassifierStatus> {
    const entry = await this.modelFor(organizationId, scope);
    const counts = entry.model.severityCounts;
    return {
      model: this.model,
      trainedAt: entry.trainedAt,
      historySize: entry.model.historySize,
      trainedOn: entry.model.trainedOn,
      examplesPerSeverity: Object.fromEntries(SEVERITIES.map((s, i) => [s, counts[i]])) as Record<Severity, number>,
      refitPending: this.refitPending(organizationId, entry),
    };
  }

  /** A refit is running or due: the model is the quick one, or the history changed since the last full fit. */
  private refitPending(organizationId: string, entry: OrganizationModel): boolean {
    const state = this.retrains.get(organizationId);
    if (entry.provisional || state?.running) return true;
    return !state?.fitted || !sameSignature(entry.signature, state.fitted);
  }

  /** Waits for the background refits in flight (the evaluation and tests use it to see a settled state). */
  async settle(): Promise<void> {
    await Promise.all([...this.retrains.values()].flatMap((r) => (r.running ? [r.running] : [])));
  }

  /** Stops waiting refits (on shutdown). */
  close(): void {
    for (const state of this.retrains.values()) clearTimeout(state.timer);
  }

  private async modelFor(organizationId: string, scope: ReadScope): Promise<OrganizationModel> {
    const cached = this.cache.get(organizationId);
    if (cached && cached.model.historySize > this.options.syncRefreshLimit) {
      // Too large to follow changes in the request: it answers as it is, and the background refit checks for changes.
      this.remember(organizationId, cached);
      this.scheduleRetrain(organizationId);
      return cached;
    }
    const signature = await this.history.signature(organizationId, scope);
    if (cached && cached.signature.history === signature.history) {
      // Same history; a changed catalog only needs the catalog again.
      const entry =
        cached.signature.services === signature.services
          ? cached
          : { ...cached, signature, services: await this.history.services(organizationId, scope) };
      this.remember(organizationId, entry);
      return entry;
    }
    if (!cached) {
      const [history, services] = await this.load(organizationId, scope);
      return this.fitInRequest(organizationId, signature, history, services);
    }
    const terms = cached.terms ?? new TermCache();
    const sameCatalog = cached.signature.services === signature.services;
    // Only the changes when possible; services renamed or removed change the text of any incident: all of it then.
    const history =
      (sameCatalog && (await this.applyChanges(organizationId, cached, scope))) ||
      (await this.history.labelled(organizationId, this.options.historyLimit, scope));
    // The catalog is read again only when it changed (services change far less often than incidents).
    const services = sameCatalog ? cached.services : await this.history.services(organizationId, scope);
    const fittedFor = cached.fittedFor ?? cached.model.trainedOn;
    // A history that more than doubled since the fit (an import) is fitted again in the request, as a new one would be:
    // the neighbours alone would answer for it until the background refit.
    if (history.length >= this.minForRegression && history.length > 2 * fittedFor)
      return this.fitInRequest(organizationId, signature, history, services, terms);
    this.scheduleRetrain(organizationId);
    const refreshed = {
      signature,
      model: cached.model.withHistory(history, terms),
      services,
      history,
      terms,
      trainedAt: cached.trainedAt,
      provisional: cached.provisional,
      fittedFor,
    };
    this.remember(organizationId, refreshed);
    return refreshed;
  }

  /**
   * The model a request can afford (`requestFit`). When it covers the whole history the background has nothing to
   * refit; otherwise it is the quick model and the full fit is scheduled.
   */
  private fitInRequest(
    organizationId: string,
    signature: HistoryVersion,
    history: HistoryIncident[],
    services: CatalogService[],
    terms?: TermCache,
  ): OrganizationModel {
    const provisional = history.length > this.options.syncTrainLimit;
    const entry = {
      signature,
      model: this.requestFit(history, terms),
      services,
      history: history.length <= this.options.syncRefreshLimit ? history : undefined,
      terms,
      trainedAt: new Date(),
      provisional,
      fittedFor: history.length,
    };
    this.remember(organizationId, entry);
    if (provisional) {
      this.scheduleRetrain(organizationId);
    } else {
      const state = this.retrains.get(organizationId) ?? { startedAt: 0 };
      Object.assign(state, { startedAt: Date.now(), fitted: signature });
      this.retrains.set(organizationId, state);
    }
    return entry;
  }

  private get minForRegression(): number {
    return this.options.model.minForRegression ?? DEFAULT_MODEL_OPTIONS.minForRegression;
  }

  /**
   * What fits in a request: the regression and the calibration fitted on the latest `syncTrainLimit` labelled
   * incidents (about a second), the neighbours over all of them. On the evaluation data it answers as well as the full
   * fit (docs/AI.md).
   */
  private requestFit(history: HistoryIncident[], terms?: TermCache): SeverityModel {
    if (history.length <= this.options.syncTrainLimit)
      return SeverityModel.train(history, this.prior, this.options.model);
    const latest = byStart(history).slice(-this.options.syncTrainLimit);
    return SeverityModel.train(latest, this.prior, this.options.model).withHistory(history, terms);
  }

  /**
   * The cached history with the incidents changed since its state applied (new, changed, no longer labelled), or null
   * when that cannot be trusted: the source cannot tell changes, or the labelled count differs from the result (an
   * incident was deleted, or a change was missed), or the result is beyond what a model reads.
   */
  private async applyChanges(
    organizationId: string,
    cached: OrganizationModel,
    scope: ReadScope,
  ): Promise<HistoryIncident[] | null> {
    const since = cached.signature.changedAt;
    if (!this.history.changedSince || !since || !cached.history) return null;
    const { changed, labelledTotal } = await this.history.changedSince(
      organizationId,
      new Date(since.getTime() - CHANGE_OVERLAP_MS),
      scope,
    );
    const byId = new Map(cached.history.map((h) => [h.id, h]));
    for (const { incident, labelled } of changed) {
      if (labelled) byId.set(incident.id, incident);
      else byId.delete(incident.id);
    }
    if (byId.size !== labelledTotal || byId.size > this.options.historyLimit) return null;
    return [...byId.values()];
  }

  /** One statement after the other: a scope inside a transaction has one connection. */
  private async load(organizationId: string, scope: ReadScope = {}): Promise<[HistoryIncident[], CatalogService[]]> {
    const history = await this.history.labelled(organizationId, this.options.historyLimit, scope);
    return [history, await this.history.services(organizationId, scope)];
  }

  /**
   * A full refit in the background when the history changed since the last: one at a time per organization, at most
   * once per interval.
   */
  private scheduleRetrain(organizationId: string): void {
    const state = this.retrains.get(organizationId) ?? { startedAt: 0 };
    this.retrains.set(organizationId, state);
    if (state.running || state.timer) return;
    const wait = state.startedAt + this.options.minRetrainIntervalMs - Date.now();
    if (wait > 0) {
      state.timer = setTimeout(() => {
        state.timer = undefined;
        this.scheduleRetrain(organizationId);
      }, wait);
      state.timer.unref();
      return;
    }
    state.startedAt = Date.now();
    state.running = (async () => {
      try {
        // The signature is read first: a change made while fitting is then seen as a change next time.
        const signature = await this.history.signature(organizationId);
        if (state.fitted && sameSignature(signature, state.fitted)) return;
        if (this.options.organizationFitter) {
          const services = await this.history.services(organizationId);
          const request = {
            historyLimit: this.options.historyLimit,
            keepHistoryUpTo: this.options.syncRefreshLimit,
            model: this.options.model,
          };
          const { model, history } = await this.options.organizationFitter(organizationId, request);
          this.remember(organizationId, { signature, model, services, history, trainedAt: new Date() });
          state.fitted = signature;
          return;
        }
        const [history, services] = await this.load(organizationId);
        const model = await this.fit(history);
        this.remember(organizationId, {
          signature,
          model,
          services,
          history: model.historySize <= this.options.syncRefreshLimit ? history : undefined,
          trainedAt: new Date(),
        });
        state.fitted = signature;
      } catch (error) {
        this.options.onError?.(error, organizationId);
      } finally {
        state.running = undefined;
      }
    })();
  }

  private async fit(history: HistoryIncident[]): Promise<SeverityModel> {
    if (this.options.fitter) return this.options.fitter(history, this.options.model);
    // Fitting here is synchronous CPU work: yield once so that the request that scheduled it is answered first.
    await new Promise((resolve) => setImmediate(resolve));
    return SeverityModel.train(history, this.prior, this.options.model);
  }

  private remember(organizationId: string, entry: OrganizationModel): void {
    // Least recently used order: the map keeps insertion order, so a use moves the organization to the end.
    this.cache.delete(organizationId);
    this.cache.set(organizationId, entry);
    while (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      clearTimeout(this.retrains.get(oldest)?.timer);
      this.retrains.delete(oldest);
    }
  }
}

/** Neighbours below this similarity are not named as evidence and do not suggest a service. */
const EVIDENCE_SIMILARITY = 0.3;

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
function suggestOwner(
  input: ClassificationInput,
  known: CatalogService | null,
  services: CatalogService[],
  prediction: SeverityPrediction,
): OwnerSuggestion {
  if (known) return { serviceId: known.id, teamId: known.teamId, why: null };
  const text = ` ${words(`${input.title} ${input.description ?? ''}`).join(' ')} `;
  const named = services
    .map((s) => ({ service: s, phrase: words(s.name).join(' ') }))
    .filter(({ phrase }) => phrase.length > 0 && text.includes(` ${phrase} `))
    .sort((a, b) => b.phrase.length - a.phrase.length)[0];
  if (named)
    return {
      serviceId: named.service.id,
      teamId: named.service.teamId,
      why: `the text names the service "${named.service.name}"`,
    };
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
  const service = serviceId ? (services.find((s) => s.id === serviceId) ?? null) : null;
  if (service)
    return { serviceId: service.id, teamId: service.teamId, why: `similar past incidents were on "${service.name}"` };
  const teamId = vote((h) => h.teamId);
  return { serviceId: null, teamId, why: teamId ? 'similar past incidents were handled by the suggested team' : null };
}

function explain(prediction: SeverityPrediction, model: SeverityModel, ownerWhy: string | null): string {
  const historySize = model.historySize;
  const parts: string[] = [];
  parts.push(
    prediction.cues.length
      ? `Severity cues: ${prediction.cues.map((c) => `"${c.name}" (→ ${c.leansTo})`).join(', ')}.`
      : 'No general severity cue in the text.',
  );
  const similar = prediction.neighbours.filter((n) => n.score >= EVIDENCE_SIMILARITY).slice(0, 3);
  if (similar.length) {
    const named = similar.map(
      (n) =>
        `${n.incident.key ?? n.incident.id} "${truncate(n.incident.title, 60)}" (${SEVERITIES[n.incident.severity]}, similarity ${n.score.toFixed(2)})`,
    );
    parts.push(`Similar past incidents: ${named.join('; ')}.`);
  }
  const outweighed = outweighedCues(prediction, model);
  if (outweighed) parts.push(outweighed);
  parts.push(
    historySize
      ? `Learned from ${historySize} labelled incident${historySize === 1 ? '' : 's'} of this organization, combined with the day-one prior.`
      : 'No labelled history in this organization yet: the day-one prior alone.',
  );
  if (!model.calibratedOnHistory)
    parts.push(
      `The confidence is the prior's, measured on public GitHub incidents, and at most ${PRIOR_MAX_CONFIDENCE * 100}%: how this organization uses the scale is not known yet.`,
    );
  if (ownerWhy) parts.push(`Suggested owner: ${ownerWhy}.`);
  return parts.join(' ');
}

/**
 * When cues of a higher severity than the answer were found, what outweighed them: the organization's similar past
 * incidents when most of them had the answer's severity, else its labelled history through the learned regression,
 * else the text's other cues. Null when no cue points higher.
 */
export function outweighedCues(prediction: SeverityPrediction, model: SeverityModel): string | null {
  const answer = prediction.severity;
  const higher = prediction.cues.filter(
    (c) => SEVERITIES.indexOf(c.leansTo as Severity) >= 0 && SEVERITIES.indexOf(c.leansTo as Severity) < answer,
  );
  if (!higher.length) return null;
  const named = higher.map((c) => `"${c.name}" (→ ${c.leansTo})`).join(', ');
  const label = SEVERITIES[answer];
  const close = prediction.neighbours.filter((n) => n.score >= EVIDENCE_SIMILARITY).slice(0, 5);
  const agreeing = close.filter((n) => n.incident.severity === answer);
  let because: string;
  if (close.length && agreeing.length * 2 > close.length) {
    because = `this organization's similar past incidents (${agreeing.length} of the ${close.length} most similar were ${label})`;
  } else if (model.hasRegression) {
    because = `the model learned from this organization's ${model.trainedOn} labelled incidents, which puts incidents like this (their words and service) at ${label}`;
  } else {
    const lower = prediction.cues.filter((c) => c.leansTo === String(label)).map((c) => `"${c.name}"`);
    because = lower.length
      ? `the cue${lower.length === 1 ? '' : 's'} ${lower.join(', ')} (→ ${label}) and the day-one prior's weights`
      : `the day-one prior's weights for the text as a whole`;
  }
  return `${label} rather than ${higher.map((c) => c.leansTo).sort()[0]} despite ${named}: outweighed by ${because} (probability ${label} ${prediction.probabilities[answer].toFixed(2)}).`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
