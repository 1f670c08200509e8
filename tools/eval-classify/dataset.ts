import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of incidents-*.jsonl (the evaluation data's format; see docs/AI.md, "The evaluation data"). */
export interface DatasetIncident {
  source: string;
  id: string;
  title: string;
  description: string | null;
  severity: 'P1' | 'P2' | 'P3' | 'P4';
  service: string | null;
  startedAt: Date;
}

export const GITHUB_SOURCE = 'githubstatus.com';

/** The incident's service name as Argus can hold it (service names are at most 120 characters). */
export function serviceName(incident: DatasetIncident): string | null {
  return incident.service?.slice(0, 120) ?? null;
}

export function readIncidents(path: string): DatasetIncident[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const raw = JSON.parse(line) as Record<string, unknown>;
      const severity = raw.severity as DatasetIncident['severity'];
      if (!['P1', 'P2', 'P3', 'P4'].includes(severity))
        throw new Error(`${path}:${i + 1}: severity ${String(raw.severity)} is not P1–P4`);
      const startedAt = new Date(String(raw.started_at));
      const title: unknown = raw.title ?? '';
      if (Number.isNaN(startedAt.getTime())) throw new Error(`${path}:${i + 1}: started_at is not a date`);
      return {
        source: String(raw.source),
        id: String(raw.id),
        title: String(title),
        description: typeof raw.description === 'string' ? raw.description : null,
        severity,
        service: typeof raw.service === 'string' ? raw.service : null,
        startedAt,
      };
    });
}

export interface SourceSplit {
  source: string;
  train: DatasetIncident[];
  test: DatasetIncident[];
}

/**
 * Per source, the earlier incidents teach and the later ones are classified. With an `incidents-test.jsonl` beside
 * `incidents-dev.jsonl`, dev is the history and test the future; otherwise the latest `testShare` of each source's dev
 * incidents (by started_at) is the test slice.
 */
export function splitBySource(dataDir: string, testShare = 0.2): { splits: SourceSplit[]; protocol: string } {
  const dev = readIncidents(join(dataDir, 'incidents-dev.jsonl'));
  const testPath = join(dataDir, 'incidents-test.jsonl');
  const byTime = (a: DatasetIncident, b: DatasetIncident) =>
    a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id);
  const sources = [...new Set(dev.map((d) => d.source))].sort();
  if (existsSync(testPath)) {
    const test = readIncidents(testPath);
    return {
      protocol: 'history: incidents-dev.jsonl; classified: incidents-test.jsonl',
      splits: sources
        .map((source) => ({
          source,
          train: dev.filter((d) => d.source === source).sort(byTime),
          test: test.filter((d) => d.source === source).sort(byTime),
        }))
        .filter((s) => s.test.length > 0),
    };
  }
  return {
    protocol: `time split of incidents-dev.jsonl: per source, the latest ${Math.round(testShare * 100)}% (by started_at) classified, the earlier ones as history`,
    splits: sources.map((source) => {
      const all = dev.filter((d) => d.source === source).sort(byTime);
      const cut = Math.floor(all.length * (1 - testShare));
      return { source, train: all.slice(0, cut), test: all.slice(cut) };
    }),
  };
}

/** Where the validation folds cut each source's history: the share of it the fold learns from. */
export const VALIDATION_CUTS = [0.5, 0.6, 0.7, 0.8];

/**
 * Validation folds inside each source's history (its test slice never enters): for each cut, the history up to it
 * teaches and the next `testShare` of the history is classified. Settings are chosen on these, not on the test slice.
 */
export function validationFolds(splits: SourceSplit[], testShare = 0.2): { splits: SourceSplit[]; protocol: string } {
  const cuts = VALIDATION_CUTS.map((cut) => Math.round(cut * 100));
  const protocol = `validation folds: per source, the history up to ${cuts.slice(0, -1).join(', ')} and ${cuts.at(-1)}% of its training period teaches and the next ${Math.round(testShare * 100)}% of it is classified (the test slice is not read)`;
  const folds = splits.flatMap(({ source, train }) =>
    VALIDATION_CUTS.map((cut) => {
      const from = Math.floor(train.length * cut);
      return {
        source: `${source} (history to ${Math.round(cut * 100)}%)`,
        train: train.slice(0, from),
        test: train.slice(from, from + Math.ceil(train.length * testShare)),
      };
    }),
  );
  return { splits: folds, protocol };
}
