import { z } from 'zod';
import type { AiProvider, FallbackReason } from '../providers/ai-provider.js';
import { MalformedOutputError } from '../providers/ai-provider.js';
import { IncidentStatus, Severity } from '../../modules/incidents/incident.enums.js';
import { NamedRecord, QueryContext, UnderstoodQuery, parseSearchQuery } from './search-query.js';
import { matchCatalogRecord } from '../providers/catalog-match.js';

/** The name answers carry when the embedded parser understood the query. */
export const EMBEDDED_PARSER_MODEL = 'argus-query-parser-v1';

/**
 * What the chat model returns: the same filters the embedded parser produces, with names instead of ids (mapped to
 * the organization's records afterwards, so an id cannot be invented) and dates as ISO 8601 instants. Every field is
 * required, as strict structured output wants.
 */
export const ModelSearchSchema = z.object({
  severities: z.array(z.enum(['P1', 'P2', 'P3', 'P4'])),
  statuses: z.array(z.enum(['open', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'])),
  services: z.array(z.string()).describe('Names of services from the catalog that the query names'),
  teams: z.array(z.string()).describe('Names of teams from the catalog that the query names'),
  assigned_to_me: z.boolean().describe('The query asks for incidents assigned to the person searching'),
  unassigned: z.boolean().describe('The query asks for incidents with no assignee'),
  created_after: z
    .string()
    .nullable()
    .describe('ISO 8601 UTC instant: incidents created at or after it; null when the query gives no start'),
  created_before: z
    .string()
    .nullable()
    .describe('ISO 8601 UTC instant: incidents created before it; null when the query gives no end'),
  text: z
    .string()
    .describe(
      'The words of the query that are not filters (what to rank the results by), without filler words such as "show" or "incidents"',
    ),
});
export type ModelSearch = z.infer<typeof ModelSearchSchema>;

export const SEARCH_INSTRUCTIONS = [
  'You turn an incident search written in plain English into filters.',
  'severities: P1 to P4 only when the query asks for them ("sev1", "critical" = P1); words such as "high latency" are text, not a severity.',
  'statuses: open, acknowledged, investigating, mitigated, resolved, closed; "active", "ongoing" or "unresolved" mean open, acknowledged, investigating and mitigated.',
  'services and teams: only names taken exactly from the catalog in the facts.',
  'Dates: resolve relative dates ("since last monday", "in March", "yesterday", "past week") against now, in UTC; a day means from its 00:00 to the next day\'s 00:00; a month without a year is the last one that has started. created_before is exclusive.',
  'text: the remaining words that describe what happened, or an empty string.',
  'The embedded_parser field shows what a simple rule-based parser understood; correct it where it is wrong.',
].join('\n');

export interface ParsedQuery {
  understood: UnderstoodQuery;
  /** The model that understood the query: the configured chat model, or the embedded parser. */
  model: string;
  fallbackReason: FallbackReason | null;
}

const namesOf = (ids: string[], records: NamedRecord[]) =>
  ids.map((id) => records.find((r) => r.id === id)?.name).filter((n): n is string => !!n);
const MAX_CATALOG = 300;

/** The facts the model parses from: the query, the request's clock, the catalog, and the embedded parser's reading. */
export function searchFacts(q: string, context: QueryContext, embedded: UnderstoodQuery) {
  const now = context.now;
  return {
    query: q,
    now: now.toISOString(),
    weekday: now.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }),
    catalog: {
      services: context.services.slice(0, MAX_CATALOG).map((s) => s.name),
      teams: context.teams.slice(0, MAX_CATALOG).map((t) => t.name),
    },
    embedded_parser: {
      severities: embedded.severities,
      statuses: embedded.statuses,
      services: namesOf(embedded.serviceIds, context.services),
      teams: namesOf(embedded.teamIds, context.teams),
      assigned_to_me: embedded.assigneeId !== null,
      unassigned: embedded.unassigned,
      created_after: embedded.createdAfter?.toISOString() ?? null,
      created_before: embedded.createdBefore?.toISOString() ?? null,
      text: embedded.text,
    },
  };
}

/** Dates further ahead than this are not a search of past incidents. */
const FUTURE_SLACK_MS = 2 * 86_400_000;

function instant(value: string | null, field: string, now: Date): Date | null {
  if (value === null || !value.trim()) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new MalformedOutputError(`${field} is not a date: ${value}`);
  const date = new Date(ms);
  if (date.getUTCFullYear() < 1970 || ms > now.getTime() + FUTURE_SLACK_MS)
    throw new MalformedOutputError(`${field} is out of range: ${value}`);
  return date;
}

/**
 * The model's filters, checked and mapped: service and team names to the organization's ids (a name it does not have
 * is dropped, never passed on), dates to instants (unreadable, before 1970, days in the future, or an empty range:
 * malformed, so the embedded parser answers), "assigned to me" to the caller.
 */
export function acceptModelSearch(answer: ModelSearch, context: QueryContext): UnderstoodQuery {
  const ids = (said: string[], records: NamedRecord[]) => {
    const found: string[] = [];
    for (const name of said) {
      const record = matchCatalogRecord(records, name);
      if (record && !found.includes(record.id)) found.push(record.id);
    }
    return found;
  };
  const createdAfter = instant(answer.created_after, 'created_after', context.now);
  const createdBefore = instant(answer.created_before, 'created_before', context.now);
  if (createdAfter && createdBefore && createdAfter >= createdBefore)
    throw new MalformedOutputError('created_after is not before created_before');
  return {
    severities: [...new Set(answer.severities)] as Severity[],
    statuses: [...new Set(answer.statuses)] as IncidentStatus[],
    serviceIds: ids(answer.services, context.services),
    teamIds: ids(answer.teams, context.teams),
    assigneeId: answer.assigned_to_me ? context.userId : null,
    unassigned: answer.unassigned && !answer.assigned_to_me,
    createdAfter,
    createdBefore,
    text: answer.text.trim().replace(/\s+/g, ' ').slice(0, 500),
  };
}

/**
 * Plain-English query parsing: with a chat model configured, ONE structured-output call reads the query (with the
 * embedded parser's reading as a hint) and its answer is checked by `acceptModelSearch`; without a model, or when it
 * fails, the embedded parser (`parseSearchQuery`) answers and the reason is reported.
 */
export class SearchQueryParser {
  constructor(private readonly ai: AiProvider) {}

  async parse(q: string, context: QueryContext): Promise<ParsedQuery> {
    const embedded = parseSearchQuery(q, context);
    if (!this.ai.chatModel) return { understood: embedded, model: EMBEDDED_PARSER_MODEL, fallbackReason: null };
    const answer = await this.ai.structured<ModelSearch, UnderstoodQuery>({
      schema: ModelSearchSchema,
      name: 'incident_search_filters',
      instructions: SEARCH_INSTRUCTIONS,
      facts: searchFacts(q, context, embedded),
      local: { model: EMBEDDED_PARSER_MODEL, run: () => embedded },
      accept: (a) => acceptModelSearch(a, context),
    });
    return { understood: answer.value, model: answer.model, fallbackReason: answer.fallbackReason };
  }
}
