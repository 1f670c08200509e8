import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of incidents-dev.jsonl (the fields the evaluation reads). */
export interface EvalIncident {
  source: string;
  id: string;
  title: string;
  description: string | null;
  severity: string;
  service: string | null;
  components?: string[];
  started_at: string;
  resolved_at?: string | null;
}

/** One line of similar-links-dev.jsonl: the vendor itself linked the two incidents. */
export interface EvalLink {
  query_id: string;
  positive_id: string;
  relation: string;
  source: string;
}

export interface EvalData {
  dir: string;
  incidents: EvalIncident[];
  links: EvalLink[];
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`${path}:${i + 1} is not JSON`);
      }
    });
}

/**
 * Reads the data folder (built as docs/AI.md, "The evaluation data" says, or a test fixture): incidents-dev.jsonl and
 * similar-links-dev.jsonl.
 */
export function loadEvalData(dir: string): EvalData {
  const incidentsPath = join(dir, 'incidents-dev.jsonl');
  const linksPath = join(dir, 'similar-links-dev.jsonl');
  if (!existsSync(incidentsPath))
    throw new Error(
      `${incidentsPath} not found: pass the data folder, npm run eval:ai -- <dataDir> (docs/AI.md, "The evaluation data")`,
    );
  return {
    dir,
    incidents: readJsonl<EvalIncident>(incidentsPath),
    links: existsSync(linksPath) ? readJsonl<EvalLink>(linksPath) : [],
  };
}

/** The service text of a record: its service, else its components. */
export function serviceText(incident: EvalIncident): string | null {
  return incident.service ?? (incident.components?.length ? incident.components.join(', ') : null);
}
