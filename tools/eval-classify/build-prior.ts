import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fitSeverityPrior, SeverityPriorArtefact } from '../../src/ai/classify/severity-prior.js';
import { severityIndex } from '../../src/ai/classify/severity-labels.js';
import { DatasetIncident, GITHUB_SOURCE, readIncidents } from './dataset.js';

export const PRIOR_MODEL_NAME = 'severity-prior-v1';

/**
 * The day-one prior from GitHub's public status history only: those records are Unlicense/MIT and may be shipped in
 * the project; the other sources of the evaluation data may not. `before` keeps a fit free of a test period.
 */
export function buildPriorFromGitHub(incidents: DatasetIncident[], before?: Date): SeverityPriorArtefact {
  const records = incidents.filter((i) => i.source === GITHUB_SOURCE && (!before || i.startedAt < before));
  const counts = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const r of records) counts[r.severity]++;
  const first = records.reduce(
    (min, r) => (r.startedAt < min ? r.startedAt : min),
    records[0]?.startedAt ?? new Date(0),
  );
  const last = records.reduce(
    (max, r) => (r.startedAt > max ? r.startedAt : max),
    records[0]?.startedAt ?? new Date(0),
  );
  return fitSeverityPrior(
    records.map((r) => ({
      title: r.title,
      description: r.description,
      severity: severityIndex(r.severity),
      startedAt: r.startedAt,
    })),
    PRIOR_MODEL_NAME,
    {
      description:
        'Curated severity cues (src/ai/severity-cues.ts) whose weights were re-fitted on public GitHub status incidents by a class-weighted softmax regression on cue indicators, with an L2 pull towards the curated weights; calibration: Platt scaling fitted on the latest 20% of those records with a fit on the earlier 80%.',
      data: `GitHub status history (githubstatus.com), ${records.length} incidents from ${first.toISOString().slice(0, 10)} to ${last.toISOString().slice(0, 10)}`,
      severityCounts: counts,
      sources: [
        'https://github.com/GitHub-Incident-History/GitHub-Incident-History (Unlicense)',
        'https://github.com/mrshu/github-statuses (MIT)',
      ],
      licence: 'Only the GitHub records (Unlicense / MIT) were used; no text of them is stored here, only cue weights.',
      labels: 'Statuspage impact: critical → P1, major → P2, minor → P3, none → P4',
      ...(before ? { before: before.toISOString() } : {}),
    },
  );
}

/** A short fingerprint of the input file, recorded in the artefact's provenance. */
export function fileDigest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}

export function priorFromFile(path: string): SeverityPriorArtefact {
  const artefact = buildPriorFromGitHub(readIncidents(path));
  return {
    ...artefact,
    provenance: { ...artefact.provenance, inputFile: 'incidents-dev.jsonl', inputSha256: fileDigest(path) },
  };
}
