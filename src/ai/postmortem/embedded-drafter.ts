import { ActionCandidate, FactTimelineEntry, PostmortemFacts, formatDuration, formatTime } from './postmortem-facts.js';

/** A draft in the shape of a postmortem (timeline and action items as the Postmortem entity keeps them), plus links. */
export interface PostmortemDraftContent {
  title: string;
  severityImpact: string;
  timeline: Array<{ at: Date; description: string }>;
  rootCause: string | null;
  contributingFactors: string[];
  actionItems: Array<{ description: string; ownerId: string | null; dueAt: Date | null; done: boolean }>;
  durationMinutes: number;
  /** True when the incident is not resolved: the duration runs to now. */
  ongoing: boolean;
  startedAt: Date;
  endedAt: Date | null;
  /** How it was mitigated and resolved, from the comments of that time. */
  resolution: string | null;
  incidentId: string;
  incidentKey: string;
  problemId: string | null;
  changeRequestIds: string[];
}

export const EMBEDDED_DRAFTER_MODEL = 'argus-postmortem-drafter-v1';

export const timelineEntry = (e: FactTimelineEntry) => ({ at: e.at, description: e.description });
export const actionItem = (c: ActionCandidate) => ({
  description: c.description,
  ownerId: c.ownerId,
  dueAt: c.dueAt,
  done: c.done,
});

export function draftTitle(facts: PostmortemFacts): string {
  return `Postmortem: ${facts.incident.title} (${facts.incident.key})`.slice(0, 300);
}

/** Who and what was affected, for how long: severity, service, team, duration, time to acknowledge, SLA breaches. */
export function impactStatement(facts: PostmortemFacts): string {
  const i = facts.incident;
  const parts: string[] = [];
  const where = i.serviceName ? ` on ${i.serviceName}` : '';
  const team = i.teamName ? ` (team ${i.teamName})` : '';
  parts.push(`${i.severity} incident${where}${team}: ${i.title}.`);
  if (facts.ongoing) {
    parts.push(
      `Not resolved yet: ongoing for ${formatDuration(facts.durationMinutes)} since ${formatTime(i.startedAt)}.`,
    );
  } else {
    parts.push(
      `Lasted ${formatDuration(facts.durationMinutes)}, from ${formatTime(i.startedAt)} to ${formatTime(facts.endedAt!)}.`,
    );
  }
  if (i.acknowledgedAt)
    parts.push(
      `Acknowledged after ${formatDuration(Math.max(0, Math.round((i.acknowledgedAt.getTime() - i.startedAt.getTime()) / 60_000)))}.`,
    );
  if (i.mitigatedAt)
    parts.push(
      `Mitigated after ${formatDuration(Math.max(0, Math.round((i.mitigatedAt.getTime() - i.startedAt.getTime()) / 60_000)))}.`,
    );
  const raised = facts.severityChanges.filter((c) => c.to < c.from);
  if (raised.length)
    parts.push(
      `Severity was raised during the incident (${raised.map((c) => `${c.from} → ${c.to} at ${formatTime(c.at)}`).join(', ')}).`,
    );
  for (const b of facts.slaBreaches) parts.push(`The ${b.clock} SLA was breached (due ${formatTime(b.dueAt)}).`);
  if (i.description) parts.push(`As reported: ${i.description.trim()}`);
  return parts.join(' ').slice(0, 5000);
}

export function contributingFactors(facts: PostmortemFacts): string[] {
  const factors: string[] = [];
  const p = facts.problem;
  if (p?.description && p.description.trim() !== (p.rootCause ?? '').trim())
    factors.push(`${p.key} (${p.title}): ${p.description.trim()}`);
  for (const c of facts.changes.filter((c) => c.role === 'possible_cause')) {
    const window = c.plannedStart
      ? `, planned ${formatTime(c.plannedStart)}${c.plannedEnd ? ` – ${formatTime(c.plannedEnd)}` : ''}`
      : '';
    factors.push(
      `Change ${c.key} “${c.title}” (${c.type}, ${c.status}${window}) touched the affected service shortly before the incident started.`,
    );
  }
  const raised = facts.severityChanges.find((c) => c.to < c.from);
  if (raised)
    factors.push(
      `The incident was first rated ${raised.from} and only raised to ${raised.to} at ${formatTime(raised.at)}.`,
    );
  if (facts.slaBreaches.some((b) => b.clock === 'response'))
    factors.push('Nobody acknowledged the incident within the response SLA.');
  factors.push(...facts.factorNotes);
  return [...new Set(factors)].slice(0, 100).map((f) => f.slice(0, 2000));
}

/** A cause stated in a comment, attributed: `… (proposed from a comment by Dana at 10:15 UTC)`. */
export function proposedCause(comment: { text: string; author: string | null; at: Date }): string {
  const hhmm = comment.at.toISOString().slice(11, 16);
  return `${comment.text} (proposed from a comment${comment.author ? ` by ${comment.author}` : ''} at ${hhmm} UTC)`;
}

export function rootCause(facts: PostmortemFacts): string | null {
  if (facts.problem?.rootCause?.trim())
    return `${facts.problem.rootCause.trim()} (${facts.problem.key})`.slice(0, 20000);
  if (facts.rootCauseComments.length) return facts.rootCauseComments.map(proposedCause).join(' ').slice(0, 20000);
  if (facts.rootCauseNotes.length) return facts.rootCauseNotes.join(' ').slice(0, 20000);
  return null;
}

/** The embedded drafter: the whole draft from the facts alone, deterministic and without a network. */
export function draftFromFacts(facts: PostmortemFacts): PostmortemDraftContent {
  return {
    title: draftTitle(facts),
    severityImpact: impactStatement(facts),
    timeline: facts.timeline.map(timelineEntry),
    rootCause: rootCause(facts),
    contributingFactors: contributingFactors(facts),
    actionItems: facts.actionItems.map(actionItem),
    resolution: facts.resolutionNotes.length ? facts.resolutionNotes.join(' ').slice(0, 20000) : null,
    ...recordFields(facts),
  };
}

/** What a draft always takes from the record, whoever writes the prose. */
export function recordFields(facts: PostmortemFacts) {
  return {
    durationMinutes: facts.durationMinutes,
    ongoing: facts.ongoing,
    startedAt: facts.incident.startedAt,
    endedAt: facts.endedAt,
    incidentId: facts.incident.id,
    incidentKey: facts.incident.key,
    problemId: facts.problem?.id ?? null,
    changeRequestIds: facts.changes.map((c) => c.id),
  };
}
