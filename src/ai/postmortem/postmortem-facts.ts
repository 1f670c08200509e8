import type {
  ChangeSnapshot,
  DraftSource,
  IncidentSnapshot,
  ProblemSnapshot,
  TimelineSnapshot,
} from './draft-source.js';

/** How a change request relates to an incident (see docs/DECISIONS.md, "Postmortem drafts"). */
export type ChangeRole = 'possible_cause' | 'follow_up';

export interface LinkedChange extends ChangeSnapshot {
  role: ChangeRole;
  /** Why it counts as linked: it names the incident or its problem, or it touches the incident's service. */
  via: 'mentions_incident' | 'mentions_problem' | 'service';
}

/** One line of the draft's timeline; `ref` is its index, by which a model's rewrite is matched back to the record. */
export interface FactTimelineEntry {
  ref: number;
  at: Date;
  kind: string;
  description: string;
}

/** A follow-up found in the record; `ref` as for the timeline. */
export interface ActionCandidate {
  ref: number;
  description: string;
  ownerId: string | null;
  dueAt: Date | null;
  done: boolean;
  source: 'change' | 'workaround' | 'comment';
}

/** Everything a draft may say, taken from the record; both the embedded drafter and the model work from this. */
export interface PostmortemFacts {
  incident: IncidentSnapshot;
  /** From started_at to resolved_at, or to now when the incident is not resolved (`ongoing`). */
  durationMinutes: number;
  ongoing: boolean;
  endedAt: Date | null;
  timeline: FactTimelineEntry[];
  /** Severity changes as [from, to, at], in order. */
  severityChanges: Array<{ from: string; to: string; at: Date }>;
  slaBreaches: Array<{ clock: string; dueAt: Date }>;
  problem: ProblemSnapshot | null;
  changes: LinkedChange[];
  /** Sentences of comments that name a cause. */
  rootCauseNotes: string[];
  /**
   * The same sentences by comment, with who wrote it and when (a root cause proposed from the record is attributed).
   */
  rootCauseComments: Array<{ text: string; author: string | null; at: Date }>;
  /** Comments made from mitigation to resolution, and sentences that say how it was fixed. */
  resolutionNotes: string[];
  /** Sentences of comments that name a contributing factor. */
  factorNotes: string[];
  actionItems: ActionCandidate[];
}

// Follow-up cues: "TODO"/"follow up"/"action item"/"next step" opening a sentence (or "TODO:" anywhere), or a "we
// should" / "we need to" anywhere. Status-page phrases ("we will provide follow ups", "to prevent recurrence") are not.
const FOLLOW_UP =
  /^(todo|to-do|follow[- ]?ups?|action items?|next steps?)\b|\btodo:|\baction items?\s*:|\b(we should|we need to)\b/i;
const FOLLOW_UP_PREFIX =
  /^(?:(?:todo|to-do|follow[- ]?ups?|action items?|next steps?)\s*[:\-–]\s*|we (?:should|need to)\s+)/i;
const ROOT_CAUSE = /\b(root[- ]cause|caused by|due to|because|points? to|pointing to|the cause)\b/i;
const RESOLUTION =
  /\b(mitigated|rolled back|rollback|roll back|reverted|fixed|restored|recovered|resolved by|failed over|failover|restarted)\b/i;
const FACTOR =
  /\b(contribut\w*|made (it|things|this) worse|no (alert|alerting|monitoring)|lack of|missing (alert|alerts|monitoring)|did not (alert|page)|was not (alerted|paged))\b/i;

const CHANGE_LOOKBACK_MS = 24 * 3600_000;
const FOLLOW_UP_WINDOW_MS = 14 * 24 * 3600_000;
const INACTIVE_CHANGE = new Set(['rejected', 'cancelled']);
const NOT_CARRIED_OUT = new Set(['draft', 'submitted', 'rejected', 'cancelled']);

export function minutesBetween(start: Date, end: Date): number {
  return Math.max(0, Math.round((end.getTime() - start.getTime()) / 60_000));
}

/** `2026-03-01 10:15 UTC` */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `1 h 35 min`, `45 min`, `2 d 3 h` */
export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim().replace(/^[-*•]\s+/, ''))
    .filter((s) => s.length > 2);
}

function mentions(text: string | null, key: string): boolean {
  return !!text && new RegExp(`(^|[^A-Za-z0-9-])${key}(?![0-9])`, 'i').test(text);
}

/**
 * Whether a change request counts as linked to the incident, and as what. Explicit first: a change whose title or
 * description names the incident key (INC-7) or its problem's key (PRB-3) is linked; created before the incident
 * started
 * it is a possible cause, otherwise a follow-up. Otherwise by service (the change's service, or a service of one of its
 * assets, is the incident's): a change carried out (approved or later, not rejected or cancelled) whose planned window
 * touches the 24 hours before the start is a possible cause; one created from the start until 14 days after the end
 * (or now) is a follow-up. Anything else is unrelated.
 */
export function linkChange(
  change: ChangeSnapshot,
  incident: IncidentSnapshot,
  problem: ProblemSnapshot | null,
  end: Date,
): LinkedChange | null {
  const text = `${change.title}\n${change.description ?? ''}`;
  const start = incident.startedAt.getTime();
  const before = change.createdAt.getTime() < start;
  if (mentions(text, incident.key))
    return { ...change, via: 'mentions_incident', role: before ? 'possible_cause' : 'follow_up' };
  if (problem && mentions(text, problem.key))
    return { ...change, via: 'mentions_problem', role: before ? 'possible_cause' : 'follow_up' };
  const sameService =
    !!incident.serviceId &&
    (change.serviceId === incident.serviceId || change.assetServiceIds.includes(incident.serviceId));
  if (!sameService || INACTIVE_CHANGE.has(change.status)) return null;
  const windowStart = change.plannedStart?.getTime();
  const windowEnd = (change.plannedEnd ?? change.plannedStart)?.getTime();
  if (
    windowStart !== undefined &&
    windowEnd !== undefined &&
    !NOT_CARRIED_OUT.has(change.status) &&
    windowStart <= start &&
    windowEnd >= start - CHANGE_LOOKBACK_MS
  ) {
    return { ...change, via: 'service', role: 'possible_cause' };
  }
  const created = change.createdAt.getTime();
  if (created >= start && created <= end.getTime() + FOLLOW_UP_WINDOW_MS)
    return { ...change, via: 'service', role: 'follow_up' };
  return null;
}

/** The action item a follow-up sentence asks for: the cue is dropped and the first letter capitalised. */
export function actionFromSentence(sentence: string): string {
  const text = sentence.replace(FOLLOW_UP_PREFIX, '').trim();
  return text ? text[0].toUpperCase() + text.slice(1) : sentence;
}

export function readsAsFollowUp(sentence: string): boolean {
  return FOLLOW_UP.test(sentence);
}

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const STATUS_WORDS: Record<string, string> = {
  acknowledged: 'Acknowledged',
  investigating: 'Investigation started',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
  open: 'Reopened',
};

/** A timeline entry in words; null for entries a postmortem leaves out (field edits). */
export function describeEvent(
  event: TimelineSnapshot,
  incident: IncidentSnapshot,
  names: Record<string, string>,
): string | null {
  const who = event.actorId ? (names[event.actorId] ?? 'a former user') : null;
  const by = who ? ` by ${who}` : '';
  const data = event.data;
  switch (event.type) {
    case 'created': {
      const severity: unknown = data.severity ?? incident.severity;
      return `Incident opened${who ? by : ' by an alert or integration'}: ${incident.title} (${String(severity)})`;
    }
    case 'status_changed':
      return `${STATUS_WORDS[String(data.to)] ?? `Status changed to ${String(data.to)}`}${by}`;
    case 'severity_changed':
      return `Severity changed from ${String(data.from)} to ${String(data.to)}${by}`;
    case 'assigned': {
      const to = typeof data.to === 'string' ? (names[data.to] ?? 'a former user') : null;
      return to ? `Assigned to ${to}${by}` : `Unassigned${by}`;
    }
    case 'comment':
      return truncate(`${who ?? 'Someone'}: ${event.message ?? ''}`, 2000);
    case 'alert':
      return truncate(`Alert: ${event.message ?? 'an alert fired'}`, 2000);
    case 'sla_breached': {
      const clock = data.clock === 'resolution' ? 'Resolution' : 'Response';
      const due = typeof data.due_at === 'string' ? formatTime(new Date(data.due_at)) : 'its due time';
      return `${clock} SLA breached: ${clock === 'Response' ? 'not acknowledged' : 'not resolved'} by ${due}`;
    }
    case 'updated':
      return null;
    default:
      return event.message ? truncate(event.message, 2000) : null;
  }
}

/** Gathers the facts of a draft from the record; deterministic for a given source (no clock of its own). */
export function buildFacts(source: DraftSource): PostmortemFacts {
  const { incident, problem } = source;
  const ongoing = !incident.resolvedAt;
  const end = incident.resolvedAt ?? source.now;
  const timeline: FactTimelineEntry[] = [];
  const severityChanges: PostmortemFacts['severityChanges'] = [];
  const slaBreaches: PostmortemFacts['slaBreaches'] = [];
  const rootCauseNotes: string[] = [];
  const rootCauseComments: PostmortemFacts['rootCauseComments'] = [];
  const resolutionNotes: string[] = [];
  const factorNotes: string[] = [];
  const followUps: Array<Omit<ActionCandidate, 'ref'>> = [];
  const mitigatedAt = incident.mitigatedAt?.getTime();
  const resolvedAt = incident.resolvedAt?.getTime();

  // An incident recorded after it began (an alert, an import, a late report) starts its timeline at started_at.
  const firstRecorded = source.events[0]?.occurredAt.getTime();
  if (firstRecorded === undefined || incident.startedAt.getTime() < firstRecorded) {
    timeline.push({
      ref: 0,
      at: incident.startedAt,
      kind: 'started',
      description: 'Impact started (the incident’s start time)',
    });
  }
  for (const event of source.events) {
    const description = describeEvent(event, incident, source.userNames);
    if (description) timeline.push({ ref: timeline.length, at: event.occurredAt, kind: event.type, description });
    if (event.type === 'severity_changed')
      severityChanges.push({ from: String(event.data.from), to: String(event.data.to), at: event.occurredAt });
    if (event.type === 'sla_breached' && typeof event.data.due_at === 'string')
      slaBreaches.push({ clock: String(event.data.clock), dueAt: new Date(event.data.due_at) });
    if (event.type !== 'comment' || !event.message) continue;
    const at = event.occurredAt.getTime();
    const afterMitigation =
      mitigatedAt !== undefined && at >= mitigatedAt && (resolvedAt === undefined || at <= resolvedAt);
    const kept: string[] = [];
    const causes: string[] = [];
    for (const sentence of sentences(event.message)) {
      if (readsAsFollowUp(sentence)) {
        followUps.push({
          description: truncate(actionFromSentence(sentence), 2000),
          ownerId: event.actorId,
          dueAt: null,
          done: false,
          source: 'comment',
        });
        continue;
      }
      kept.push(sentence);
      if (ROOT_CAUSE.test(sentence)) causes.push(sentence);
      else if (FACTOR.test(sentence)) factorNotes.push(sentence);
      if (!afterMitigation && RESOLUTION.test(sentence)) resolutionNotes.push(sentence);
    }
    if (causes.length) {
      rootCauseNotes.push(...causes);
      rootCauseComments.push({
        text: causes.join(' '),
        author: event.actorId ? (source.userNames[event.actorId] ?? null) : null,
        at: event.occurredAt,
      });
    }
    // Comments from mitigation to resolution say how it was fixed, whatever their words.
    if (afterMitigation && kept.length) resolutionNotes.push(kept.join(' '));
  }

  const changes = source.changes
    .map((change) => linkChange(change, incident, problem, end))
    .filter((c): c is LinkedChange => c !== null)
    .sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.key.localeCompare(b.key, 'en', { numeric: true }),
    );

  const actionItems: ActionCandidate[] = [];
  const seen = new Set<string>();
  const add = (item: Omit<ActionCandidate, 'ref'>) => {
    const key = item.description.toLowerCase().replace(/\W+/g, ' ').trim();
    if (!key || seen.has(key)) return;
    seen.add(key);
    actionItems.push({ ...item, ref: actionItems.length });
  };
  for (const change of changes.filter((c) => c.role === 'follow_up')) {
    const planned = change.plannedStart ? `, planned ${formatTime(change.plannedStart)}` : '';
    add({
      description: `${change.key}: ${change.title} (${change.status}${planned})`,
      ownerId: change.ownerId,
      dueAt: change.plannedEnd ?? change.plannedStart,
      done: change.status === 'completed',
      source: 'change',
    });
  }
  if (problem?.workaround && !['resolved', 'closed'].includes(problem.status)) {
    add({
      description: `Replace the workaround of ${problem.key} with a permanent fix (workaround: ${truncate(problem.workaround, 1500)})`,
      ownerId: null,
      dueAt: null,
      done: false,
      source: 'workaround',
    });
  }
  for (const item of followUps) add(item);

  return {
    incident,
    durationMinutes: minutesBetween(incident.startedAt, end),
    ongoing,
    endedAt: incident.resolvedAt,
    timeline,
    severityChanges,
    slaBreaches,
    problem,
    changes,
    rootCauseNotes,
    rootCauseComments,
    resolutionNotes,
    factorNotes,
    actionItems,
  };
}
