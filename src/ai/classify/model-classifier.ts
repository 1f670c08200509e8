import { z } from 'zod';
import type { Connection } from '@mikro-orm/core';
import { Severity } from '../../modules/incidents/incident.enums.js';
import type { AiProvider } from '../providers/ai-provider.js';
import { MalformedOutputError } from '../providers/ai-provider.js';
import type {
  ClassificationInput,
  ClassifierStatus,
  ReadScope,
  SeverityClassification,
  SeverityClassifier,
} from './severity-classifier.js';
import { matchCatalogRecord } from '../providers/catalog-match.js';

/**
 * What the chat model returns. Every field is required (nullable where it may be empty), as strict structured output
 * wants; ranges are checked after parsing (`acceptModelClassification`), since not every server accepts
 * minimum/maximum in a schema. Owners are names from the catalog in the facts, never ids: an id cannot be invented.
 */
export const ModelClassificationSchema = z.object({
  severity: z
    .enum(['P1', 'P2', 'P3', 'P4'])
    .describe('P1 = critical, widespread outage or data loss … P4 = cosmetic, no user impact'),
  confidence: z.number().describe('Probability (0 to 1) that the severity is right'),
  reasoning: z.string().describe('The evidence for the severity, in one to three sentences'),
  suggested_service: z.string().nullable().describe('The name of one service from the catalog, or null'),
  suggested_team: z.string().nullable().describe('The name of one team from the catalog, or null'),
});
export type ModelClassification = z.infer<typeof ModelClassificationSchema>;

export const CLASSIFY_INSTRUCTIONS = [
  'You triage incidents for an on-call team: choose the severity of a new incident, P1 (critical: an outage or data loss for many users) to P4 (minor or cosmetic).',
  "Use the facts given as JSON: the incident text, the severity cues found in it, similar past incidents of this organization with the severity people gave them, and the suggestion of the organization's own trained classifier.",
  "This organization's past severities show how it grades incidents: weigh them more than general habits.",
  'confidence is your probability (0 to 1) that the severity is right.',
  'reasoning names the evidence you used (cues, past incident keys), briefly.',
  'suggested_service and suggested_team must be names taken exactly from the catalog in the facts, or null when none clearly fits.',
].join('\n');

export interface CatalogTeam {
  id: string;
  name: string;
}

export interface ModelClassifierOptions {
  /** Who classifies an incident being created (ARGUS_AI_CLASSIFY_ON_CREATE). */
  onCreate: 'embedded' | 'model';
  /** The deadline of the model call on creation (ARGUS_AI_CREATE_TIMEOUT_MS). */
  createTimeoutMs: number;
}

const MAX_CATALOG = 200;
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The facts the model classifies from: the text, the embedded classifier's evidence and answer, the catalog. */
export function classificationFacts(
  input: ClassificationInput,
  embedded: SeverityClassification,
  teams: CatalogTeam[],
) {
  const evidence = embedded.evidence;
  const services = evidence?.services ?? [];
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const serviceName = new Map(services.map((s) => [s.id, s.name]));
  const service = input.serviceId ? (serviceName.get(input.serviceId) ?? null) : null;
  return {
    incident: { title: input.title, description: input.description ? clip(input.description, 4000) : null, service },
    severity_cues: (evidence?.cues ?? []).map((c) => ({ cue: c.name, leans_to: c.leansTo })),
    similar_past_incidents: (evidence?.similar ?? []).map((n) => ({
      key: n.key,
      title: clip(n.title, 200),
      severity: n.severity,
      similarity: n.similarity,
      service: n.serviceId ? (serviceName.get(n.serviceId) ?? null) : null,
      team: n.teamId ? (teamName.get(n.teamId) ?? null) : null,
    })),
    labelled_history_size: evidence?.historySize ?? 0,
    trained_classifier: {
      severity: embedded.severity,
      confidence: embedded.confidence,
      suggested_service: embedded.suggestedServiceId ? (serviceName.get(embedded.suggestedServiceId) ?? null) : null,
      suggested_team: embedded.suggestedTeamId ? (teamName.get(embedded.suggestedTeamId) ?? null) : null,
    },
    catalog: {
      services: services
        .slice(0, MAX_CATALOG)
        .map((s) => ({ name: s.name, team: s.teamId ? (teamName.get(s.teamId) ?? null) : null })),
      teams: teams.slice(0, MAX_CATALOG).map((t) => t.name),
    },
  };
}

/**
 * The model's answer, checked: the confidence must be a probability and the reasoning non-empty (else malformed, and
 * the embedded classifier answers); a suggested service or team is kept only when it names (or is the id of) one of
 * the organization's records — anything else becomes null. A known service without a team brings its own team. An
 * incident created on a service keeps that service as the suggestion, as the embedded classifier does.
 */
export function acceptModelClassification(
  answer: ModelClassification,
  input: ClassificationInput,
  embedded: SeverityClassification,
  teams: CatalogTeam[],
  model: string,
): SeverityClassification {
  if (!(answer.confidence >= 0 && answer.confidence <= 1))
    throw new MalformedOutputError(`confidence ${answer.confidence} is not between 0 and 1`);
  if (!answer.reasoning.trim()) throw new MalformedOutputError('the answer has no reasoning');
  const services = embedded.evidence?.services ?? [];
  const given = input.serviceId ? (services.find((s) => s.id === input.serviceId) ?? null) : null;
  const service = given ?? matchCatalogRecord(services, answer.suggested_service);
  const team =
    matchCatalogRecord(teams, answer.suggested_team) ??
    (service?.teamId ? (teams.find((t) => t.id === service.teamId) ?? null) : null);
  return {
    severity: answer.severity as Severity,
    confidence: Math.round(answer.confidence * 1000) / 1000,
    reasoning: clip(answer.reasoning.trim(), 2000),
    model,
    suggestedServiceId: service?.id ?? null,
    suggestedTeamId: team?.id ?? null,
    fallbackReason: null,
  };
}

const TEAMS_SQL = `select id, name from teams where organization_id = ? order by name limit ${MAX_CATALOG}`;

/**
 * Severity classification through the configured chat model, with the embedded classifier as its evidence and its
 * fallback: the embedded classifier answers first (it is cheap and local), then ONE structured-output call gives the
 * model the text, the cues, the similar labelled incidents with their severities and the embedded answer; the model's
 * answer is validated (zod, then `acceptModelClassification`). Any failure answers with the embedded classification
 * and says why (`fallbackReason`). Incident creation uses the model only when configured to
 * (ARGUS_AI_CLASSIFY_ON_CREATE).
 */
export class ModelSeverityClassifier implements SeverityClassifier {
  constructor(
    private readonly embedded: SeverityClassifier,
    private readonly ai: AiProvider,
    private readonly connection: () => Connection,
    private readonly options: ModelClassifierOptions,
  ) {}

  async classify(
    organizationId: string,
    input: ClassificationInput,
    scope: ReadScope = {},
  ): Promise<SeverityClassification> {
    const embedded = await this.embedded.classify(organizationId, input, scope);
    const creating = (scope.purpose ?? 'create') === 'create';
    if (!this.ai.chatModel || (creating && this.options.onCreate === 'embedded'))
      return { ...embedded, fallbackReason: null };
    const teams = await this.teams(organizationId, scope);
    const answer = await this.ai.structured<ModelClassification, SeverityClassification>({
      schema: ModelClassificationSchema,
      name: 'severity_classification',
      instructions: CLASSIFY_INSTRUCTIONS,
      facts: classificationFacts(input, embedded, teams),
      local: { model: embedded.model, run: () => embedded },
      accept: (a) => acceptModelClassification(a, input, embedded, teams, this.ai.chatModel!),
      timeoutMs: creating ? this.options.createTimeoutMs : undefined,
    });
    return {
      ...answer.value,
      evidence: embedded.evidence,
      refitPending: embedded.refitPending,
      fallbackReason: answer.fallbackReason,
    };
  }

  /** The embedded model's status: it is the evidence every answer starts from. */
  status(organizationId: string, scope: ReadScope = {}): Promise<ClassifierStatus> {
    if (!this.embedded.status) throw new Error('the embedded classifier has no status');
    return this.embedded.status(organizationId, scope);
  }

  private async teams(organizationId: string, scope: ReadScope): Promise<CatalogTeam[]> {
    const em = scope.em;
    const rows: CatalogTeam[] = em
      ? await em.getConnection().execute<CatalogTeam[]>(TEAMS_SQL, [organizationId], 'all', em.getTransactionContext())
      : ((await this.connection().execute(TEAMS_SQL, [organizationId])) as CatalogTeam[]);
    return rows.map((r) => ({ id: r.id, name: r.name }));
  }
}
