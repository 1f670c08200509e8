import * as chrono from 'chrono-node';
import { IncidentStatus, Severity } from '../../modules/incidents/incident.enums.js';

/** A named record of the caller's organization that a query may mention. */
export interface NamedRecord {
  id: string;
  name: string;
}

export interface QueryContext {
  /** The reference for relative dates (the server's Clock). Dates are read in UTC. */
  now: Date;
  services: NamedRecord[];
  teams: NamedRecord[];
  /** The caller, for "assigned to me". */
  userId: string;
}

/** What a plain-English query was understood to ask for. */
export interface UnderstoodQuery {
  severities: Severity[];
  statuses: IncidentStatus[];
  serviceIds: string[];
  teamIds: string[];
  assigneeId: string | null;
  unassigned: boolean;
  createdAfter: Date | null;
  createdBefore: Date | null;
  /** The words left to rank by, once the filters are taken out. */
  text: string;
}

const DAY = 86_400_000;

/**
 * Explicit severities only, and "critical" (P1 in every tool's vocabulary). Words such as "high" or "minor" are left
 * to the text: "high latency" is not a P2 filter.
 */
const SEVERITY_WORDS: Array<[RegExp, Severity]> = [
  [/\b(p|sev|sev-|sev |severity )1\b|\bcritical\b/g, Severity.P1],
  [/\b(p|sev|sev-|sev |severity )2\b/g, Severity.P2],
  [/\b(p|sev|sev-|sev |severity )3\b/g, Severity.P3],
  [/\b(p|sev|sev-|sev |severity )4\b/g, Severity.P4],
];

const ACTIVE = [
  IncidentStatus.open,
  IncidentStatus.acknowledged,
  IncidentStatus.investigating,
  IncidentStatus.mitigated,
];

const STATUS_WORDS: Array<[RegExp, IncidentStatus[]]> = [
  [/\b(active|ongoing|unresolved|not resolved)\b/g, ACTIVE],
  [/\bopen\b/g, [IncidentStatus.open]],
  [/\b(acknowledged|acked)\b/g, [IncidentStatus.acknowledged]],
  [/\binvestigating\b/g, [IncidentStatus.investigating]],
  [/\bmitigated\b/g, [IncidentStatus.mitigated]],
  [/\bresolved\b/g, [IncidentStatus.resolved]],
  [/\bclosed\b/g, [IncidentStatus.closed]],
];

/** Words that carry no meaning for ranking once the filters are understood. */
const STOPWORDS = new Set(
  'a an and any are all about at by during for from in incident incidents is issue issues me my of on or over show find list give get the that their there these this those to with within which what where who whose was were opened created started reported happened'.split(
    ' ',
  ),
);

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: DAY, week: 7 * DAY, month: 30 * DAY };

function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function addMonths(d: Date, months: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** Lower-case, with each matched span blanked so that later rules do not see it again. */
class Remainder {
  constructor(public text: string) {}

  take(pattern: RegExp, onMatch: (match: RegExpExecArray) => void): void {
    this.text = this.text.replace(pattern, (...args: unknown[]) => {
      const groups = args.slice(0, -2) as string[];
      const index = args[args.length - 2] as number;
      const match = Object.assign([...groups], { index, input: this.text }) as unknown as RegExpExecArray;
      onMatch(match);
      return ' '.repeat(groups[0].length);
    });
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A whole-phrase pattern for a record name: case-insensitive, flexible spaces, hyphens or underscores. */
function namePattern(name: string): RegExp | null {
  const parts = name
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  return parts.length ? new RegExp(`(?<![\\p{L}\\p{N}])${parts.join('[\\s_-]+')}(?![\\p{L}\\p{N}])`, 'gu') : null;
}

function matchNames(remainder: Remainder, records: NamedRecord[], suffix: RegExp): string[] {
  const found: string[] = [];
  // Longest names first, so "Payments API" wins over "Payments".
  for (const record of [...records].sort((a, b) => b.name.length - a.name.length)) {
    const pattern = namePattern(record.name);
    if (!pattern) continue;
    const withSuffix = new RegExp(`${pattern.source}(${suffix.source})?`, 'gu');
    remainder.take(withSuffix, () => {
      if (!found.includes(record.id)) found.push(record.id);
    });
  }
  return found;
}

/**
 * Reads the filters out of a plain-English query: severities (P1, sev1, "critical"), statuses ("open", "resolved",
 * "active"), the organization's service and team names, "assigned to me" / "unassigned", and dates: rolling windows
 * ("last 24 hours", "past week"), calendar periods ("this week", "this month", "in 2025"), and anything chrono-node
 * reads ("since last monday", "in March", "yesterday", "before 2026-10-01", "between March 3 and March 10"). A bare
 * date is the whole period it names (a day, a month); "since"/"after"/"from" keep only its start, "before"/"until" only
 * its end. A month or day without a year that would lie in the future means the last one that has passed. Dates are
 * UTC. Whatever is left (without filler words) is the text to rank by.
 */
export function parseSearchQuery(q: string, context: QueryContext): UnderstoodQuery {
  const now = context.now;
  const remainder = new Remainder(` ${q.toLowerCase()} `);
  const understood: UnderstoodQuery = {
    severities: [],
    statuses: [],
    serviceIds: [],
    teamIds: [],
    assigneeId: null,
    unassigned: false,
    createdAfter: null,
    createdBefore: null,
    text: '',
  };
  const after = (d: Date) => {
    if (!understood.createdAfter || d > understood.createdAfter) understood.createdAfter = d;
  };
  const before = (d: Date) => {
    if (!understood.createdBefore || d < understood.createdBefore) understood.createdBefore = d;
  };

  // People first: "assigned to me" must not leave "me", and "unassigned" must not read as "assigned".
  remainder.take(
    /\b(assigned to me|my incidents|mine|assigned to myself)\b/g,
    () => (understood.assigneeId = context.userId),
  );
  remainder.take(
    /\b(unassigned|not assigned|without (an )?assignee|nobody assigned|no assignee)\b/g,
    () => (understood.unassigned = true),
  );

  // Names of the organization's records (before severities, so that a service called "Critical Path" stays a service).
  understood.serviceIds = matchNames(remainder, context.services, /\s+service/);
  understood.teamIds = matchNames(remainder, context.teams, /\s+team/);

  for (const [pattern, severity] of SEVERITY_WORDS) {
    remainder.take(pattern, () => {
      if (!understood.severities.includes(severity)) understood.severities.push(severity);
    });
  }
  for (const [pattern, statuses] of STATUS_WORDS) {
    remainder.take(pattern, () => {
      for (const status of statuses) if (!understood.statuses.includes(status)) understood.statuses.push(status);
    });
  }

  // Rolling windows and calendar periods that chrono-node reads as single points.
  remainder.take(
    /\b(?:in the |during the |within the )?(?:last|past) (\d+ )?(minute|hour|day|week|month)s?\b/g,
    (m) => {
      after(new Date(now.getTime() - Number(m[1] ?? 1) * UNITS[m[2]]));
    },
  );
  remainder.take(/\bthis (week|month|year)\b/g, (m) => {
    const today = startOfDay(now);
    if (m[1] === 'week') after(new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY));
    else if (m[1] === 'month') after(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
    else after(new Date(Date.UTC(now.getUTCFullYear(), 0, 1)));
  });
  remainder.take(/\b(since|after|from|before|until|till|in|during)?\s*((?:19|20)\d\d)\b(?![-/.:]\d)/g, (m) => {
    const start = new Date(Date.UTC(Number(m[2]), 0, 1));
    const end = new Date(Date.UTC(Number(m[2]) + 1, 0, 1));
    applyPeriod(m[1], start, end, after, before);
  });

  // Everything else chrono-node understands, with the word before it deciding whether it is a start, an end or both.
  const results = chrono.parse(remainder.text, { instant: now, timezone: 'UTC' });
  let between = false;
  for (const result of results) {
    const preceding = remainder.text.slice(0, result.index).trimEnd();
    const word = /(\w+)$/.exec(preceding)?.[1];
    const [start, startEnd] = periodOf(result.start, now);
    const end = result.end ? periodOf(result.end, now)[1] : startEnd;
    if (word === 'between') between = true;
    // "between X and Y" includes both days.
    const role = between && word === 'and' ? 'until' : word === 'between' ? 'since' : word;
    applyPeriod(role, start, end, after, before);
    const from =
      word &&
      ['since', 'after', 'from', 'before', 'until', 'till', 'between', 'and', 'on', 'in', 'during'].includes(word)
        ? preceding.length - word.length
        : result.index;
    remainder.text =
      remainder.text.slice(0, from) +
      ' '.repeat(result.index + result.text.length - from) +
      remainder.text.slice(result.index + result.text.length);
  }

  understood.text = remainder.text
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => w && !STOPWORDS.has(w))
    .join(' ');
  return understood;
}

function applyPeriod(
  role: string | undefined,
  start: Date,
  end: Date,
  after: (d: Date) => void,
  before: (d: Date) => void,
): void {
  if (role === 'since' || role === 'after' || role === 'from') {
    after(role === 'after' ? end : start);
  } else if (role === 'before' || role === 'until' || role === 'till') {
    before(role === 'before' ? start : end);
  } else {
    after(start);
    before(end);
  }
}

/**
 * The period a parsed date names: an instant when the hour is known, else its day, else its month. A day or month
 * without an explicit year that would start after now is taken from the year before (people search the past).
 */
function periodOf(component: chrono.ParsedComponents, now: Date): [Date, Date] {
  const date = component.date();
  if (component.isCertain('hour')) return [date, new Date(date.getTime() + 1)];
  let start: Date;
  let end: Date;
  if (component.isCertain('day') || component.isCertain('weekday')) {
    start = startOfDay(date);
    end = new Date(start.getTime() + DAY);
  } else {
    start = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
    end = addMonths(start, 1);
  }
  if (!component.isCertain('year') && start > now) {
    start = new Date(Date.UTC(start.getUTCFullYear() - 1, start.getUTCMonth(), start.getUTCDate()));
    end = new Date(Date.UTC(end.getUTCFullYear() - 1, end.getUTCMonth(), end.getUTCDate()));
  }
  return [start, end];
}
