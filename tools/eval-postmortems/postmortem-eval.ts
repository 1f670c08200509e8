import type { DraftSource, TimelineSnapshot } from '../../src/ai/postmortem/draft-source.js';
import { PostmortemDraftContent, draftFromFacts } from '../../src/ai/postmortem/embedded-drafter.js';
import { buildFacts } from '../../src/ai/postmortem/postmortem-facts.js';

/**
 * Evaluation of the embedded postmortem drafter on real postmortems (postmortems-dev.jsonl): each postmortem's incident
 * is rebuilt from that postmortem's own timeline (every timeline line a comment at its time; the first line also the
 * description, as a status page's first update is), drafted, and the draft is compared with what the people wrote.
 *
 * Score: a reference item (a timeline line or an action item) counts as recovered when one item of the draft contains
 * at least half of its content words (lower-cased words of 2+ characters, stop words and links removed); a timeline
 * line
 * "with its time" also needs that item within a minute of the line's time (lines whose time cannot be read are left out
 * of that measure). Each postmortem scores recovered / total, averaged over the postmortems that have such items.
 * The baseline copies the description into a one-line timeline (at the start) and a single action item.
 */
export interface RealPostmortem {
  source: string;
  id: string;
  title: string;
  date?: string | null;
  severity?: string | null;
  started_at?: string | null;
  resolved_at?: string | null;
  timeline?: Array<{ time: string | null; event: string }> | null;
  action_items?: string[] | null;
}

export const RECOVERY_THRESHOLD = 0.5;

const STOP = new Set(
  'a an and are as at be been but by for from has have in into is it its of on or our that the their this to was we were will with not no all any can could did do does had more some than then there these they those up us what when which who would you your after before during while about over out so also'.split(
    ' ',
  ),
);

export function contentWords(text: string): Set<string> {
  const plain = text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<?https?:\/\/\S+>?/g, ' ')
    .toLowerCase();
  return new Set((plain.match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 1 && !STOP.has(w)));
}

/** The share of the reference's content words found in the candidate. */
export function wordRecall(reference: Set<string>, candidate: Set<string>): number {
  if (!reference.size) return 0;
  let found = 0;
  for (const w of reference) if (candidate.has(w)) found++;
  return found / reference.size;
}

const MONTHS = /^(january|february|march|april|may|june|july|august|september|october|november|december)/i;

/**
 * A timeline time as written in the postmortem; `exact` false when only the day is known. Times without a zone are read
 * as UTC.
 */
export function parseTimelineTime(
  time: string | null | undefined,
  date?: string | null,
): { at: Date; exact: boolean } | null {
  if (!time) return null;
  const t = time.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : { at: new Date(ms), exact: true };
  }
  const day = /^(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}):(\d{2}))?/.exec(t);
  if (day) {
    const at = new Date(`${day[1]}T${day[2] ? `${day[2].padStart(2, '0')}:${day[3]}` : '00:00'}:00Z`);
    return Number.isNaN(at.getTime()) ? null : { at, exact: Boolean(day[2]) };
  }
  const clock = /^(\d{1,2}):(\d{2})\s*(AM|PM)?$/i.exec(t);
  if (clock && date && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
    let hours = Number(clock[1]) % 12;
    if (!clock[3]) hours = Number(clock[1]);
    else if (clock[3].toUpperCase() === 'PM') hours += 12;
    const at = new Date(`${date}T${String(hours).padStart(2, '0')}:${clock[2]}:00Z`);
    return Number.isNaN(at.getTime()) ? null : { at, exact: true };
  }
  if (MONTHS.test(t)) {
    const ms = Date.parse(`${t.replace(/,\s*$/, '')} UTC`);
    return Number.isNaN(ms) ? null : { at: new Date(ms), exact: true };
  }
  return null;
}

interface RebuiltLine {
  text: string;
  at: Date | null;
}

/** The incident a postmortem describes, rebuilt from its own timeline only. */
export function rebuildIncident(pm: RealPostmortem): { source: DraftSource; lines: RebuiltLine[] } {
  const entries = (pm.timeline ?? []).filter((e) => e.event?.trim());
  const parsed = entries.map((e) => parseTimelineTime(e.time, pm.date));
  const dayStart =
    pm.date && /^\d{4}-\d{2}-\d{2}$/.test(pm.date)
      ? new Date(`${pm.date}T00:00:00Z`)
      : new Date('2000-01-01T00:00:00Z');
  const firstTime = parsed.find((p) => p)?.at;
  const startedAt = pm.started_at ? new Date(pm.started_at) : (firstTime ?? dayStart);
  // A line without a readable time happened at the last time read before it (or the start).
  let last = startedAt;
  const times = parsed.map((p) => (last = p?.at ?? last));
  const lines: RebuiltLine[] = entries.map((e, i) => ({
    text: e.event.trim(),
    at: parsed[i]?.exact ? parsed[i].at : null,
  }));
  const latest = times.reduce((a, b) => (b > a ? b : a), startedAt);
  const resolvedAt = pm.resolved_at ? new Date(pm.resolved_at) : latest;
  const events: TimelineSnapshot[] = [
    {
      type: 'created',
      message: 'Incident opened',
      actorId: 'responder',
      data: { severity: pm.severity ?? 'P3' },
      occurredAt: startedAt,
    },
    ...lines.map((l, i): TimelineSnapshot => ({
      type: 'comment',
      message: l.text,
      actorId: 'responder',
      data: {},
      occurredAt: times[i],
    })),
    {
      type: 'status_changed',
      message: null,
      actorId: 'responder',
      data: { from: 'investigating', to: 'resolved' },
      occurredAt: resolvedAt,
    },
  ];
  return {
    lines,
    source: {
      incident: {
        id: pm.id,
        key: 'INC-1',
        title: pm.title,
        description: lines[0]?.text ?? null,
        severity: pm.severity ?? 'P3',
        status: 'resolved',
        startedAt,
        acknowledgedAt: null,
        mitigatedAt: null,
        resolvedAt,
        serviceId: null,
        serviceName: null,
        teamName: null,
        slaBreached: false,
      },
      events,
      userNames: { responder: 'Responder' },
      problem: null,
      changes: [],
      now: resolvedAt,
    },
  };
}

/** What a draft needs for scoring. */
type Scored = Pick<PostmortemDraftContent, 'timeline' | 'actionItems'>;

/** The baseline: the description copied into a one-line timeline and a single action item. */
export function copyDescriptionBaseline(source: DraftSource): Scored {
  const text = source.incident.description ?? source.incident.title;
  return {
    timeline: [{ at: source.incident.startedAt, description: text }],
    actionItems: [{ description: text, ownerId: null, dueAt: null, done: false }],
  };
}

export interface Recovery {
  recovered: number;
  total: number;
}

export interface PostmortemScore {
  timeline: Recovery;
  timelineWithTime: Recovery;
  actionItems: Recovery;
}

export function scoreDraft(pm: RealPostmortem, lines: RebuiltLine[], draft: Scored): PostmortemScore {
  const timeline = draft.timeline.map((e) => ({ words: contentWords(e.description), at: e.at.getTime() }));
  const items = draft.actionItems.map((a) => contentWords(a.description));
  const score: PostmortemScore = {
    timeline: { recovered: 0, total: 0 },
    timelineWithTime: { recovered: 0, total: 0 },
    actionItems: { recovered: 0, total: 0 },
  };
  for (const line of lines) {
    const words = contentWords(line.text);
    if (!words.size) continue;
    score.timeline.total++;
    if (timeline.some((c) => wordRecall(words, c.words) >= RECOVERY_THRESHOLD)) score.timeline.recovered++;
    if (line.at) {
      score.timelineWithTime.total++;
      const at = line.at.getTime();
      if (timeline.some((c) => Math.abs(c.at - at) <= 60_000 && wordRecall(words, c.words) >= RECOVERY_THRESHOLD))
        score.timelineWithTime.recovered++;
    }
  }
  for (const item of pm.action_items ?? []) {
    const words = contentWords(item);
    if (!words.size) continue;
    score.actionItems.total++;
    if (items.some((c) => wordRecall(words, c) >= RECOVERY_THRESHOLD)) score.actionItems.recovered++;
  }
  return score;
}

export interface MeasureSummary {
  /** Postmortems with at least one reference item for this measure. */
  postmortems: number;
  /** Mean over those postmortems of recovered / total. */
  draft: number;
  baseline: number;
  /**
   * Action items only: what any draft could recover from the timeline at all (every timeline line taken as an item).
   */
  ceiling?: number;
}

export interface EvaluationReport {
  postmortems: number;
  bySource: Record<
    string,
    { postmortems: number; timeline: MeasureSummary; timelineWithTime: MeasureSummary; actionItems: MeasureSummary }
  >;
  overall: { timeline: MeasureSummary; timelineWithTime: MeasureSummary; actionItems: MeasureSummary };
  /** Drafts whose duration_minutes equals started → resolved of the rebuilt incident (a sanity check). */
  exactDurations: number;
}

type Measure = keyof PostmortemScore;
const MEASURES: Measure[] = ['timeline', 'timelineWithTime', 'actionItems'];

function summarize(
  pairs: Array<{ draft: PostmortemScore; baseline: PostmortemScore; ceiling: PostmortemScore }>,
  measure: Measure,
): MeasureSummary {
  const scored = pairs.filter((p) => p.draft[measure].total > 0);
  const mean = (pick: (p: (typeof scored)[number]) => Recovery) =>
    scored.length ? scored.reduce((sum, p) => sum + pick(p).recovered / pick(p).total, 0) / scored.length : 0;
  const summary: MeasureSummary = {
    postmortems: scored.length,
    draft: round(mean((p) => p.draft[measure])),
    baseline: round(mean((p) => p.baseline[measure])),
  };
  if (measure === 'actionItems') summary.ceiling = round(mean((p) => p.ceiling[measure]));
  return summary;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function evaluatePostmortems(records: RealPostmortem[]): EvaluationReport {
  const pairs: Array<{ source: string; draft: PostmortemScore; baseline: PostmortemScore; ceiling: PostmortemScore }> =
    [];
  let exactDurations = 0;
  for (const pm of records) {
    const { source, lines } = rebuildIncident(pm);
    const draft = draftFromFacts(buildFacts(source));
    const expected = Math.max(
      0,
      Math.round((source.incident.resolvedAt!.getTime() - source.incident.startedAt.getTime()) / 60_000),
    );
    if (draft.durationMinutes === expected) exactDurations++;
    const everyLine = {
      timeline: [],
      actionItems: lines.map((l) => ({ description: l.text, ownerId: null, dueAt: null, done: false })),
    };
    pairs.push({
      source: pm.source,
      draft: scoreDraft(pm, lines, draft),
      baseline: scoreDraft(pm, lines, copyDescriptionBaseline(source)),
      ceiling: scoreDraft(pm, lines, everyLine),
    });
  }
  const bySource: EvaluationReport['bySource'] = {};
  for (const name of [...new Set(pairs.map((p) => p.source))].sort()) {
    const of = pairs.filter((p) => p.source === name);
    bySource[name] = {
      postmortems: of.length,
      timeline: summarize(of, 'timeline'),
      timelineWithTime: summarize(of, 'timelineWithTime'),
      actionItems: summarize(of, 'actionItems'),
    };
  }
  const overall = Object.fromEntries(MEASURES.map((m) => [m, summarize(pairs, m)])) as EvaluationReport['overall'];
  return { postmortems: records.length, bySource, overall, exactDurations };
}

export function formatReport(report: EvaluationReport): string {
  const cell = (s: MeasureSummary) =>
    s.postmortems
      ? `${s.draft.toFixed(3)} / ${s.baseline.toFixed(3)}${s.ceiling !== undefined ? ` (ceiling ${s.ceiling.toFixed(3)})` : ''} (n=${s.postmortems})`
      : '—';
  const rows = [
    '| source | postmortems | timeline | timeline with its time | action items |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(report.bySource).map(
      ([name, s]) =>
        `| ${name} | ${s.postmortems} | ${cell(s.timeline)} | ${cell(s.timelineWithTime)} | ${cell(s.actionItems)} |`,
    ),
    `| all | ${report.postmortems} | ${cell(report.overall.timeline)} | ${cell(report.overall.timelineWithTime)} | ${cell(report.overall.actionItems)} |`,
  ];
  return [
    `Postmortem drafts: share of each real postmortem's items the draft recovers (draft / copy-the-description baseline; n = postmortems with such items; threshold ${RECOVERY_THRESHOLD} of content words)`,
    '',
    ...rows,
    '',
    'ceiling: every timeline line offered as an action item (what the timeline contains at all)',
    `duration_minutes exact on ${report.exactDurations} of ${report.postmortems} rebuilt incidents`,
  ].join('\n');
}
