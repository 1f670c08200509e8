import type { EntityManager } from '@mikro-orm/postgresql';
import type { Severity } from '../../modules/incidents/incident.enums.js';
import type { HistoryIncident, SeverityModel, SeverityModelOptions } from './severity-model.js';
import type { FallbackReason } from '../providers/ai-provider.js';

/** The shapes the severity classifier, its history readers and its fitters share. */

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
  /** True when the organization's model answered before its refit on the latest history (docs/AI.md, model status). */
  refitPending?: boolean;
  /** Set when a configured model failed and the embedded classifier answered instead. */
  fallbackReason?: FallbackReason | null;
  /** What the embedded classifier based its answer on (given to a configured model as facts); not on the API. */
  evidence?: ClassificationEvidence;
}

/** The embedded classifier's evidence: cues found, similar labelled incidents, the catalog it suggests owners from. */
export interface ClassificationEvidence {
  cues: Array<{ name: string; leansTo: string }>;
  similar: Array<{
    key: string | null;
    title: string;
    severity: Severity;
    similarity: number;
    serviceId: string | null;
    teamId: string | null;
  }>;
  historySize: number;
  services: CatalogService[];
}

/**
 * Where a request reads the history: its EntityManager, inside its transaction when it has one (incident creation),
 * so that classifying never needs a second pooled connection while the transaction holds one.
 */
export interface ReadScope {
  em?: EntityManager;
  /**
   * Why the classifier is asked: a caller's request (`classify`) or an incident being created (`create`, the default).
   */
  purpose?: 'classify' | 'create';
}

export interface SeverityClassifier {
  classify(organizationId: string, input: ClassificationInput, scope?: ReadScope): Promise<SeverityClassification>;
  /** The organization's model as it answers now; left out by classifiers with no per-organization model. */
  status?(organizationId: string, scope?: ReadScope): Promise<ClassifierStatus>;
}

/** The state of an organization's severity model (GET /ai/model-status). */
export interface ClassifierStatus {
  model: string;
  /** When its regression and calibration were last fitted. */
  trainedAt: Date;
  /** Labelled incidents the model's neighbours see, and those its regression was fitted on. */
  historySize: number;
  trainedOn: number;
  examplesPerSeverity: Record<Severity, number>;
  refitPending: boolean;
}

export interface CatalogService {
  id: string;
  name: string;
  teamId: string | null;
}

export interface HistoryVersion {
  history: string;
  services: string;
  /** The latest change to the history, when the source can tell what changed since a time (`changedSince`). */
  changedAt?: Date | null;
}

/** What changed in an organization's history since a time, and the size of its labelled history now. */
export interface HistoryChanges {
  /** Incidents changed since then: `labelled` false means it left the labelled history (or never was in it). */
  changed: Array<{ incident: HistoryIncident; labelled: boolean }>;
  labelledTotal: number;
}

/** What the classifier knows of an organization, from the database in the API and from files in the evaluation. */
export interface HistorySource {
  /** Versions that change whenever the labelled history, or the service catalog, changes (one cheap query). */
  signature(organizationId: string, scope?: ReadScope): Promise<HistoryVersion>;
  /** The labelled incidents (severities people set or confirmed), at most `limit`, the most recent ones. */
  labelled(organizationId: string, limit: number, scope?: ReadScope): Promise<HistoryIncident[]>;
  services(organizationId: string, scope?: ReadScope): Promise<CatalogService[]>;
  /** Optional: lets a small model follow the history by reading only what changed instead of all of it. */
  changedSince?(organizationId: string, since: Date, scope?: ReadScope): Promise<HistoryChanges>;
}

export interface ClassifierOptions {
  /**
   * An organization seen for the first time with at most this many labelled incidents is trained in the request; a
   * larger one answers at once with the prior and its neighbours while the full model trains in the background.
   */
  syncTrainLimit: number;
  /**
   * When the history changed, models over at most this many incidents take the new history into their neighbours in
   * the request (cheap, no fitting); the full refit always happens in the background.
   */
  syncRefreshLimit: number;
  /** The most recent labelled incidents a model learns from. */
  historyLimit: number;
  /** Organizations whose models are kept in memory (least recently used beyond it are dropped). */
  cacheSize: number;
  /** Background refits of one organization are at least this far apart; a change in between is refitted after it. */
  minRetrainIntervalMs: number;
  model: Partial<SeverityModelOptions>;
  /** Fits the background refits, e.g. in a worker thread (WorkerSeverityFitter); left out: on the event loop. */
  fitter?: SeverityFitter;
  /**
   * Fits the background refits from the organization's history read where the fit runs (a worker thread with its own
   * connection to the same database: WorkerSeverityFitter.fitOrganization), so that the history does not pass through
   * this heap; preferred to `fitter` when given.
   */
  organizationFitter?: OrganizationFitter;
  /** Called when a background refit fails (the previous model keeps answering). */
  onError?: (error: unknown, organizationId: string) => void;
}

export interface OrganizationFitRequest {
  /** The most recent labelled incidents to read (historyLimit). */
  historyLimit: number;
  /**
   * A history of at most this many incidents is returned with its texts (syncRefreshLimit: the model follows changes).
   */
  keepHistoryUpTo: number;
  model: Partial<SeverityModelOptions>;
}

export interface OrganizationFit {
  /** The model `SeverityModel.train` fits on the organization's labelled history, answering the same. */
  model: SeverityModel;
  /** That history, when it has at most `keepHistoryUpTo` incidents. */
  history?: HistoryIncident[];
}

export type OrganizationFitter = (organizationId: string, request: OrganizationFitRequest) => Promise<OrganizationFit>;

/** Fits an organization's full model (the classifier's background refits). */
export type SeverityFitter = (
  history: HistoryIncident[],
  options: Partial<SeverityModelOptions>,
) => Promise<SeverityModel>;
