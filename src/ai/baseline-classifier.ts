import { Severity } from '../modules/incidents/incident.enums.js';

export interface SeverityClassification {
  severity: Severity;
  confidence: number;
  reasoning: string;
  model: string;
}

export interface SeverityClassifier {
  classify(text: { title: string; description?: string | null }): Promise<SeverityClassification>;
}

/**
 * A deliberately simple placeholder: a handful of hand-written cues per severity. It says what it is in `model` and
 * keeps its confidence low; the learned classifier of the AI module replaces it.
 */
const CUES: Array<{ severity: Severity; weight: number; pattern: RegExp; cue: string }> = [
  { severity: Severity.P1, weight: 3, pattern: /\b(all|every) (users|customers|regions)\b/, cue: 'all users' },
  { severity: Severity.P1, weight: 3, pattern: /\bdata (loss|corruption)\b/, cue: 'data loss' },
  { severity: Severity.P1, weight: 3, pattern: /\b(security (breach|incident)|breach)\b/, cue: 'security breach' },
  { severity: Severity.P1, weight: 2, pattern: /\b(full|complete|major|total) outage\b|\bis down\b|\bunavailable\b/, cue: 'outage' },
  { severity: Severity.P2, weight: 2, pattern: /\bpartial outage\b|\belevated error|\berror rates?\b|\bfailures?\b/, cue: 'errors' },
  { severity: Severity.P2, weight: 1, pattern: /\bdegraded\b|\bslow(ness)?\b|\blatency\b|\bdelays?\b/, cue: 'degraded' },
  { severity: Severity.P4, weight: 2, pattern: /\bcosmetic\b|\btypo\b|\bmisaligned\b|\bdocumentation\b/, cue: 'cosmetic' },
  { severity: Severity.P4, weight: 1, pattern: /\bmaintenance\b|\bscheduled\b/, cue: 'maintenance' },
];

export class BaselineKeywordClassifier implements SeverityClassifier {
  readonly model = 'baseline-keywords-v0';

  async classify(text: { title: string; description?: string | null }): Promise<SeverityClassification> {
    const haystack = `${text.title}\n${text.description ?? ''}`.toLowerCase();
    const scores = new Map<Severity, number>();
    const matched: string[] = [];
    for (const cue of CUES) {
      if (cue.pattern.test(haystack)) {
        scores.set(cue.severity, (scores.get(cue.severity) ?? 0) + cue.weight);
        matched.push(`${cue.cue} → ${cue.severity}`);
      }
    }
    const best = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (!best) {
      return { severity: Severity.P3, confidence: 0.35, reasoning: 'No severity cue found; P3 is the most common severity.', model: this.model };
    }
    const total = [...scores.values()].reduce((a, b) => a + b, 0);
    const confidence = Math.min(0.6, 0.3 + 0.3 * (best[1] / total) * Math.min(1, best[1] / 3));
    return {
      severity: best[0],
      confidence: Math.round(confidence * 100) / 100,
      reasoning: `Keyword baseline; cues: ${matched.join(', ')}.`,
      model: this.model,
    };
  }
}
