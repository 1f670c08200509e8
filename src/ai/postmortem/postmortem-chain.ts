import { z } from 'zod';
import { MalformedOutputError } from '../providers/ai-provider.js';
import { PostmortemDraftContent, actionItem, proposedCause, recordFields, rootCause } from './embedded-drafter.js';
import type { PostmortemFacts } from './postmortem-facts.js';

/**
 * What the model returns. Every field is required (nullable where it may be empty), as OpenAI's strict structured
 * output wants. Timeline entries and record-derived action items carry the `ref` of the fact they rewrite, so that
 * times, owners and due dates are taken from the record rather than from the model.
 */
export const ModelDraftSchema = z.object({
  title: z.string().describe('A short title for the postmortem'),
  severity_impact: z.string().describe('Who and what was affected, how badly and for how long'),
  timeline: z
    .array(
      z.object({
        ref: z.number().int().describe('The ref of the timeline fact this line rewrites'),
        at: z.string().describe('The time of that fact, exactly as given (ISO 8601)'),
        description: z.string().describe('What happened, in one clear sentence'),
      }),
    )
    .describe('One line per timeline fact, in order'),
  root_cause: z.string().nullable().describe('The root cause as the facts state it; null when they do not'),
  contributing_factors: z.array(z.string()),
  action_items: z.array(
    z.object({
      ref: z.number().int().nullable().describe('The ref of the action item fact this rewrites; null for a new one'),
      description: z.string(),
    }),
  ),
  duration_minutes: z.number().int().describe('Exactly the duration_minutes of the facts'),
  resolution: z
    .string()
    .nullable()
    .describe('How the incident was mitigated and resolved; null when the facts do not say'),
});
export type ModelDraft = z.infer<typeof ModelDraftSchema>;

export const POSTMORTEM_INSTRUCTIONS = [
  'You write the first draft of a blameless incident postmortem for an on-call team.',
  'Use only the facts given as JSON. Never invent times, people, systems, numbers or causes.',
  'Rewrite every timeline fact as one clear line, keeping its ref and its time exactly; do not add or drop lines.',
  'Keep every action item fact (with its ref) and add new action items (ref null) only where the facts clearly call for one.',
  'duration_minutes must equal the duration_minutes of the facts. If the incident is ongoing, say so in the impact.',
  'When the facts name no root cause, set root_cause to null rather than guessing.',
].join('\n');

/** The facts as the model sees them: keys rather than ids, ISO times, refs on what it must keep. */
export function factsForModel(facts: PostmortemFacts) {
  const i = facts.incident;
  return {
    incident: {
      key: i.key,
      title: i.title,
      description: i.description,
      severity: i.severity,
      status: i.status,
      service: i.serviceName,
      team: i.teamName,
      started_at: i.startedAt.toISOString(),
      acknowledged_at: i.acknowledgedAt?.toISOString() ?? null,
      mitigated_at: i.mitigatedAt?.toISOString() ?? null,
      resolved_at: i.resolvedAt?.toISOString() ?? null,
    },
    duration_minutes: facts.durationMinutes,
    ongoing: facts.ongoing,
    timeline: facts.timeline.map((e) => ({ ref: e.ref, at: e.at.toISOString(), kind: e.kind, fact: e.description })),
    sla_breaches: facts.slaBreaches.map((b) => ({ clock: b.clock, due_at: b.dueAt.toISOString() })),
    severity_changes: facts.severityChanges.map((c) => ({ from: c.from, to: c.to, at: c.at.toISOString() })),
    problem: facts.problem && {
      key: facts.problem.key,
      title: facts.problem.title,
      description: facts.problem.description,
      status: facts.problem.status,
      root_cause: facts.problem.rootCause,
      workaround: facts.problem.workaround,
    },
    changes: facts.changes.map((c) => ({
      key: c.key,
      title: c.title,
      description: c.description,
      status: c.status,
      type: c.type,
      relation: c.role,
      planned_start: c.plannedStart?.toISOString() ?? null,
      planned_end: c.plannedEnd?.toISOString() ?? null,
    })),
    root_cause_notes: facts.rootCauseComments.map(proposedCause),
    resolution_notes: facts.resolutionNotes,
    contributing_factor_notes: facts.factorNotes,
    action_items: facts.actionItems.map((a) => ({ ref: a.ref, fact: a.description, source: a.source, done: a.done })),
  };
}

export interface CheckedDraft {
  content: PostmortemDraftContent;
  /** What the model said that the record contradicts, and what the draft says instead. */
  corrections: string[];
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const clean = (s: string | null | undefined) => (s ?? '').trim();

/**
 * The model's draft, checked against the record. The prose is the model's; the facts are the record's: the duration,
 * the links, and every timeline time (a line is matched to its fact by ref; a changed time is put back, a line for
 * no fact is dropped, a fact the model left out is kept in the record's words). Record-derived action items keep their
 * owner, due date and state, and are kept when the model drops them. A draft without a title or a timeline for a
 * timeline that has facts is malformed (the embedded drafter answers instead).
 */
export function checkModelDraft(facts: PostmortemFacts, draft: ModelDraft): CheckedDraft {
  const corrections: string[] = [];
  if (!clean(draft.title)) throw new MalformedOutputError('the draft has no title');
  if (facts.timeline.length && !draft.timeline.length) throw new MalformedOutputError('the draft has no timeline');
  if (draft.duration_minutes !== facts.durationMinutes) {
    corrections.push(
      `duration_minutes: the model said ${draft.duration_minutes}, the record says ${facts.durationMinutes}`,
    );
  }

  const lines = new Map<number, string>();
  for (const line of draft.timeline) {
    const fact = facts.timeline[line.ref];
    if (!fact) {
      corrections.push(`timeline: dropped a line for no fact (ref ${line.ref}, "${clip(line.description, 80)}")`);
      continue;
    }
    if (lines.has(line.ref)) continue;
    const said = Date.parse(line.at);
    if (Number.isNaN(said) || said !== fact.at.getTime()) {
      corrections.push(`timeline[${line.ref}].at: the model said ${line.at}, the record says ${fact.at.toISOString()}`);
    }
    lines.set(line.ref, clean(line.description) || fact.description);
  }
  const timeline = facts.timeline.map((fact) => {
    const description = lines.get(fact.ref);
    if (description === undefined)
      corrections.push(
        `timeline[${fact.ref}]: the model left out "${clip(fact.description, 80)}"; kept from the record`,
      );
    return { at: fact.at, description: clip(description ?? fact.description, 2000) };
  });

  const items = new Map<number, string>();
  const added: string[] = [];
  for (const item of draft.action_items) {
    const description = clean(item.description);
    if (!description) continue;
    if (item.ref !== null && facts.actionItems[item.ref] && !items.has(item.ref)) items.set(item.ref, description);
    else added.push(description);
  }
  const actionItems = [
    ...facts.actionItems.map((fact) => ({
      ...actionItem(fact),
      description: clip(items.get(fact.ref) ?? fact.description, 2000),
    })),
    ...added.map((description) => ({ description: clip(description, 2000), ownerId: null, dueAt: null, done: false })),
  ].slice(0, 200);

  // A cause the record states (the problem's, or a comment's, attributed) is not dropped by the model.
  let modelCause = clean(draft.root_cause) ? clip(clean(draft.root_cause), 20000) : null;
  const recordCause = rootCause(facts);
  if (!modelCause && recordCause) {
    modelCause = recordCause;
    corrections.push('root_cause: the model left it out; the cause stated in the record is kept');
  }
  return {
    content: {
      title: clip(clean(draft.title), 300),
      severityImpact: clip(clean(draft.severity_impact), 5000),
      timeline,
      rootCause: modelCause,
      contributingFactors: draft.contributing_factors
        .map(clean)
        .filter(Boolean)
        .slice(0, 100)
        .map((f) => clip(f, 2000)),
      actionItems,
      resolution: clean(draft.resolution) ? clip(clean(draft.resolution), 20000) : null,
      ...recordFields(facts),
    },
    corrections,
  };
}
