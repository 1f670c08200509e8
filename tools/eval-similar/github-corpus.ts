import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl } from './data.js';

/** The GitHub records of the data folder: the only texts whose licence lets Argus ship what is learned from them. */
export const GITHUB_SOURCES = ['githubstatus.com', 'githubstatus.com (closing summary)'];

interface RawIncident {
  source: string;
  title: string;
  description: string | null;
  started_at: string;
}

interface RawPostmortem {
  source: string;
  title: string | null;
  date: string | null;
  summary: string | null;
  root_cause: string | null;
  impact: string | null;
  raw_text: string | null;
}

/**
 * GitHub incident texts (title + first update) and GitHub closing summaries that started strictly before `before`
 * (all of them when null): the training text of the domain word vectors. The evaluation passes the start of GitHub's
 * test slice, so no test-period text reaches a model it measures.
 */
export function githubCorpus(dir: string, before: Date | null): string[] {
  const cutoff = before ? before.getTime() : Infinity;
  const texts: string[] = [];
  for (const i of readJsonl<RawIncident>(join(dir, 'incidents-dev.jsonl'))) {
    if (i.source !== GITHUB_SOURCES[0] || !(Date.parse(i.started_at) < cutoff)) continue;
    texts.push(`${i.title}\n${i.description ?? ''}`);
  }
  const postmortems = join(dir, 'postmortems-dev.jsonl');
  if (existsSync(postmortems)) {
    for (const p of readJsonl<RawPostmortem>(postmortems)) {
      if (!GITHUB_SOURCES.includes(p.source) || !p.date || !(Date.parse(p.date) < cutoff)) continue;
      texts.push([p.title, p.summary, p.root_cause, p.impact].filter(Boolean).join('\n'));
    }
  }
  return texts;
}
