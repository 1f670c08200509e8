/**
 * The curated severity cues: phrases that say how bad an incident is in any organization ("all users", "data loss",
 * "error rate 60%", "degraded", "cosmetic"). Each has a curated starting weight per severity (log-odds, P1..P4); the
 * prior model (severity-prior.ts) moves these weights where real incidents disagree (see the artefact's provenance).
 *
 * Patterns run on lower-cased text.
 */
export interface SeverityCue {
  name: string;
  pattern: RegExp;
  /** Curated log-odds contribution for P1, P2, P3, P4. */
  weights: [number, number, number, number];
}

export const SEVERITY_CUES: SeverityCue[] = [
  // Breadth and gravity: P1 territory.
  {
    name: 'all users',
    pattern:
      /\b(all|every|most) (of (our|the) )?(users|customers|clients|accounts|tenants|sites|organizations)\b|\beveryone\b/,
    weights: [1.5, 0.5, -0.5, -1.5],
  },
  {
    name: 'data loss',
    pattern:
      /\bdata (loss|lost|corruption|corrupted)\b|\blost (data|commits|files)\b|\bdata (is|was|were|has been) (lost|deleted|corrupted)\b/,
    weights: [2, 0.5, -0.7, -1.5],
  },
  {
    name: 'security breach',
    pattern:
      /\bsecurity (breach|incident)\b|\b(breach|compromised)\b|\bleak(ed)? (of )?(data|credentials|secrets|tokens)\b/,
    weights: [2, 0.5, -0.7, -1.5],
  },
  {
    name: 'full outage',
    pattern:
      /\b(full|complete|total|major|global|widespread|site[- ]wide|platform[- ]wide) (outage|downtime|service disruption)\b|\boutage of (all|multiple|\w+ products)\b/,
    weights: [1.5, 0.8, -0.7, -1.5],
  },
  {
    name: 'down',
    pattern: /\b(is|are|was|were|went|goes|completely|currently) down\b|\bdown for\b/,
    weights: [1, 0.7, -0.4, -1.2],
  },
  {
    name: 'unavailable',
    pattern:
      /\b(unavailable|inaccessible|unreachable|not (accessible|reachable|loading|available))\b|\bunable to (access|reach|load|log ?in|sign ?in|connect)\b|\bcannot (access|reach|log ?in|sign ?in|connect)\b/,
    weights: [0.8, 0.8, -0.3, -1.2],
  },
  {
    name: 'error rate >50%',
    pattern:
      /\b(error|failure|timeout)s?( rates?)?[^.]{0,25}?\b([5-9]\d|100)(\.\d+)? ?%|\b([5-9]\d|100) ?% of (requests|calls|api calls|traffic|users|customers)\b/,
    weights: [1.5, 0.8, -0.5, -1.5],
  },
  {
    name: 'all regions',
    pattern:
      /\b(all|multiple|several) (regions|data ?centers|availability zones|datacenters|locations)\b|\bglobal(ly)?\b|\bworldwide\b/,
    weights: [1, 0.5, -0.3, -1],
  },
  {
    name: 'multiple products',
    pattern: /\b(multiple|several|many|all) (products|services|systems|components)\b/,
    weights: [0.8, 0.6, -0.3, -1],
  },
  {
    name: 'core flow broken',
    pattern:
      /\b(payments?|checkout|log ?ins?|sign ?ins?|sign ?ups?|authentication|deploy(s|ments)?|git (operations|push(es)?|clones?)) (is |are )?(failing|failures?|broken|down|unavailable|not working)\b/,
    weights: [1, 0.7, -0.4, -1.2],
  },
  { name: 'severe', pattern: /\b(severe(ly)?|critical|emergency|major)\b/, weights: [0.8, 0.6, -0.4, -1] },
  // Disruption without the breadth: P2.
  { name: 'outage', pattern: /\boutages?\b/, weights: [0.6, 0.6, -0.3, -1] },
  {
    name: 'partial outage',
    pattern: /\bpartial(ly)? (outage|down|unavailable|service disruption)\b/,
    weights: [0, 1, 0, -1],
  },
  {
    name: 'elevated error rates',
    pattern: /\b(elevated|increased|high(er)?|spike in) (error|failure|5xx|timeout)s?( rates?)?\b/,
    weights: [0.3, 0.8, 0, -1],
  },
  {
    name: 'failing',
    pattern: /\b(fail(s|ing|ures?|ed)?|errors?|5\d\d|timeouts?|timing out)\b/,
    weights: [0.2, 0.5, 0, -0.7],
  },
  {
    name: 'not working',
    pattern: /\bnot (working|functioning|processing|responding|being (sent|delivered|processed))\b|\bstuck\b/,
    weights: [0.4, 0.6, -0.1, -0.9],
  },
  {
    name: 'availability impact',
    pattern:
      /\b(degraded|reduced|impacted|limited|partial) availability\b|\bavailability (issues?|problems?|degradation|impact)\b/,
    weights: [0.3, 1, 0, -0.8],
  },
  // Impaired but working, or few affected: P3.
  { name: 'degraded', pattern: /\bdegrad(ed|ation)\b|\bimpaired\b|\bdisruption\b/, weights: [-0.3, 0.3, 0.5, -0.5] },
  {
    name: 'slow or delayed',
    pattern: /\b(slow(ness|er)?|latenc(y|ies)|delay(s|ed)?|lag(ging)?|queued|backlog(ged)?)\b/,
    weights: [-0.4, 0, 0.6, -0.2],
  },
  {
    name: 'some users',
    pattern:
      /\b(some|a (small )?(number|subset|portion) of|few|limited (number of )?|certain|a small percentage of) (users|customers|accounts|repositories|requests|sites|instances|organizations)\b|\bintermittent(ly)?\b/,
    weights: [-0.5, 0.1, 0.6, -0.2],
  },
  { name: 'minor', pattern: /\bminor\b|\blow impact\b|\bsmall number\b/, weights: [-1, -0.3, 0.6, 0.4] },
  {
    name: 'single component',
    pattern: /\b(single|one|a specific) (region|cluster|node|host|component|feature|endpoint)\b/,
    weights: [-0.5, 0, 0.5, 0],
  },
  // Cosmetic, informational, planned: P4.
  {
    name: 'cosmetic',
    pattern:
      /\b(cosmetic|typos?|misaligned|visual (glitch|issue|bug)|display(ed|ing|s)? (incorrectly|wrong)|wrong (icon|colou?r|label|text)|ui glitch|rendering issue)\b/,
    weights: [-1.5, -1, 0, 1.5],
  },
  {
    name: 'documentation',
    pattern: /\b(documentation|docs|help (center|centre)|changelog|blog|knowledge base)\b/,
    weights: [-0.8, -0.5, 0, 0.8],
  },
  {
    name: 'maintenance',
    pattern: /\b(scheduled|planned|routine) maintenance\b|\bmaintenance (window|is scheduled|will)\b/,
    weights: [-1.2, -0.8, 0, 1.2],
  },
  {
    name: 'no impact',
    pattern:
      /\bno (customer |user |service )?(impact|downtime)\b|\bnot (impacting|affecting) (customers|users|service)\b|\bno action (is )?(required|needed)\b/,
    weights: [-1.2, -0.8, 0, 1.2],
  },
  {
    name: 'informational',
    pattern: /\b(informational|fyi|heads[- ]up|announcement|upcoming|advisory|notice)\b/,
    weights: [-1, -0.6, 0, 1],
  },
  {
    name: 'reporting only',
    pattern: /\b(reports?|reporting|analytics|dashboards?|statistics|stale data|metrics)\b/,
    weights: [-0.3, -0.3, 0.2, 0.4],
  },
];

/** Curated class bias for P1..P4: most incidents are neither critical nor trivial. */
export const CURATED_BIAS: [number, number, number, number] = [-1, 0, 0.5, -0.5];

export interface CueMatch {
  index: number;
  name: string;
}

/** The cues found in a text (lower-cased inside). */
export function matchCues(text: string): CueMatch[] {
  const haystack = text.toLowerCase();
  const found: CueMatch[] = [];
  SEVERITY_CUES.forEach((cue, index) => {
    if (cue.pattern.test(haystack)) found.push({ index, name: cue.name });
  });
  return found;
}
