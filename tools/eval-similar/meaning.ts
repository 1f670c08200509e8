import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LexicalModel } from '../../src/ai/models/lexical-model.js';
import { HybridModel } from '../../src/ai/models/hybrid-model.js';
import { weightedCosine } from '../../src/ai/models/sparse-vector.js';
import { COOC_META } from '../../src/ai/models/domain-vectors.js';
import { DEFAULT_COOC, trainCooccurrence } from '../train-word-vectors.js';
import { WordVectors, WordVectorsArtefact } from '../../src/ai/models/word-vectors.js';
import { evaluatePredictions } from '../metrics.js';
import { SEVERITY_LABELS, severityIndex } from '../../src/ai/classify/severity-labels.js';
import {
  BM25_ONLY,
  PreparedCandidates,
  SEARCH_RANKING,
  TextRankOptions,
  prepareCandidates,
  rankByText,
  terms,
} from '../../src/ai/search/text-rank.js';
import { EvalData, EvalIncident, readJsonl, serviceText } from './data.js';
import { githubCorpus } from './github-corpus.js';
import { retrievalSection } from './retrieval.js';
import { EvalOptions, SectionResult, table } from './report.js';

/**
 * "Do better on meaning": the candidate semantic components measured against argus-lexical-v1 on everything they
 * could change, with settings chosen on validation slices (the latest 20% of each source's training period) and
 * reported on the test slices (each source's latest 20%), as the classification evaluation splits them.
 *
 * - kNN severity classification (the neighbours expert alone): k = 20, votes similarity³ / √(class share), by the
 *   model's IDF-weighted cosine over the history;
 * - known-item search: an incident's title as the query, its first update (description) as the document among all
 *   of its vendor's descriptions; and a postmortem's title → its summary among all postmortems. Queries come only from
 *   the non-GitHub sources, so the domain vectors (learned from GitHub records) never saw a query's text.
 */

const GITHUB = 'githubstatus.com';

export interface VectorsCandidate {
  label: string;
  /** For a source's slice that starts at `before`: vectors that saw no text from then on. */
  vectorsBefore(before: Date | null, source: string): WordVectors;
}

function splitSource(all: EvalIncident[]): {
  fit: EvalIncident[];
  val: EvalIncident[];
  train: EvalIncident[];
  test: EvalIncident[];
} {
  const sorted = [...all].sort(
    (a, b) => Date.parse(a.started_at) - Date.parse(b.started_at) || a.id.localeCompare(b.id),
  );
  const cut = Math.floor(sorted.length * 0.8);
  const train = sorted.slice(0, cut);
  const valCut = Math.floor(train.length * 0.8);
  return { fit: train.slice(0, valCut), val: train.slice(valCut), train, test: sorted.slice(cut) };
}

function bySource(data: EvalData): Map<string, EvalIncident[]> {
  const map = new Map<string, EvalIncident[]>();
  for (const i of data.incidents) {
    if (!map.has(i.source)) map.set(i.source, []);
    map.get(i.source)!.push(i);
  }
  return map;
}

/** The word-vector candidates: the domain vectors learned from GitHub records, and any artefact files given. */
export function vectorCandidates(data: EvalData, files: string[]): VectorsCandidate[] {
  const cache = new Map<string, WordVectors>();
  const cooc: VectorsCandidate = {
    label: 'cooc',
    vectorsBefore(before, source) {
      // Only GitHub's own slices need a cutoff: nothing else is in the training text.
      const cutoff = source === GITHUB ? before : null;
      const key = cutoff ? cutoff.toISOString() : 'all';
      if (!cache.has(key))
        cache.set(key, new WordVectors(trainCooccurrence(githubCorpus(data.dir, cutoff), DEFAULT_COOC, COOC_META)));
      return cache.get(key)!;
    },
  };
  const fromFiles = files
    .filter((f) => existsSync(f))
    .map((file): VectorsCandidate => {
      const artefact = JSON.parse(readFileSync(file, 'utf8')) as WordVectorsArtefact;
      const vectors = new WordVectors(artefact);
      return { label: artefact.name.startsWith('argus-wink') ? 'wink' : artefact.name, vectorsBefore: () => vectors };
    });
  // Learned at run time from the organization's own incidents before the slice (what a per-organization model would
  // know): captures its product vocabulary, which neither general English nor GitHub's records hold.
  const own: VectorsCandidate = {
    label: 'own',
    vectorsBefore(before, source) {
      const key = `own:${source}:${before ? before.toISOString() : 'all'}`;
      if (!cache.has(key)) {
        const texts = data.incidents
          .filter(
            (i) =>
              (source === 'links' || i.source === source) && (!before || Date.parse(i.started_at) < before.getTime()),
          )
          .map((i) => `${i.title}\n${i.description ?? ''}`);
        cache.set(key, new WordVectors(trainCooccurrence(texts, DEFAULT_COOC, { ...COOC_META, name: 'own' })));
      }
      return cache.get(key)!;
    },
  };
  return [cooc, own, ...fromFiles];
}

interface KnnResult {
  macroF1: number;
  ece: number;
  accuracy: number;
}

/** kNN severity over one source's history with a model's IDF-weighted cosine. */
function knn(model: LexicalModel, history: EvalIncident[], queries: EvalIncident[], k = 20): KnnResult {
  const embed = (i: EvalIncident) =>
    model.embedIncident({ title: i.title, description: i.description, service: serviceText(i) });
  const hist = history.map(embed);
  const df = new Uint32Array(1 << 16);
  for (const v of hist) for (let j = 0; j < v.idx.length; j++) df[v.idx[j]]++;
  const idf = new Float32Array(1 << 16);
  for (let b = 0; b < idf.length; b++) idf[b] = Math.log((hist.length + 1) / (df[b] + 1)) + 1;
  const labels = history.map((i) => severityIndex(i.severity));
  const share = [0, 0, 0, 0];
  for (const l of labels) share[l] += 1 / labels.length;
  const truth: number[] = [];
  const predicted: number[] = [];
  const confidence: number[] = [];
  for (const q of queries) {
    const v = embed(q);
    const sims = hist.map((h, i) => [weightedCosine(v, h, idf), i] as const).filter(([s]) => s > 0);
    sims.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    const votes = [0, 0, 0, 0];
    for (const [s, i] of sims.slice(0, k)) votes[labels[i]] += s ** 3;
    for (let c = 0; c < 4; c++) votes[c] = share[c] > 0 ? votes[c] / Math.sqrt(share[c]) : 0;
    let total = votes.reduce((a, b) => a + b, 0);
    const p = total > 0 ? votes.map((x) => x / total) : share.slice();
    total = p.reduce((a, b) => a + b, 0);
    let best = 0;
    for (let c = 1; c < 4; c++) if (p[c] > p[best]) best = c;
    truth.push(severityIndex(q.severity));
    predicted.push(best);
    confidence.push(p[best] / total);
  }
  const r = evaluatePredictions(truth, predicted, confidence, [...SEVERITY_LABELS]);
  return { macroF1: r.macroF1, ece: r.ece ?? 0, accuracy: r.accuracy };
}

/** The models to compare: argus-lexical-v1 and each vector candidate joined to it at each semantic weight. */
function modelsFor(
  candidates: VectorsCandidate[],
  weights: number[],
  before: Date | null,
  source: string,
): Array<{ label: string; model: LexicalModel }> {
  const out: Array<{ label: string; model: LexicalModel }> = [{ label: 'argus-lexical-v1', model: new LexicalModel() }];
  for (const c of candidates)
    for (const s of weights)
      out.push({
        label: `hybrid ${c.label} s=${s}`,
        model: new HybridModel(c.vectorsBefore(before, source), { semantic: s }, `hybrid-${c.label}-${s}`),
      });
  return out;
}

/** The semantic weights tried (the hybrid vector's s; the search's γ is SEARCH_SEMANTIC_WEIGHTS). */
export const SEMANTIC_WEIGHTS = [0.5, 1, 2];
export const SEARCH_SEMANTIC_WEIGHTS = [0.25, 0.5];

function classificationRows(
  data: EvalData,
  candidates: VectorsCandidate[],
): { rows: Array<Array<string | number>>; metrics: Record<string, number> } {
  const sums = new Map<string, { val: KnnResult[]; test: KnnResult[] }>();
  for (const [source, all] of bySource(data)) {
    const s = splitSource(all);
    if (s.val.length < 10 || s.test.length < 10) continue;
    for (const [slice, history, queries] of [
      ['val', s.fit, s.val],
      ['test', s.train, s.test],
    ] as const) {
      const before = new Date(queries[0].started_at);
      for (const { label, model } of modelsFor(candidates, SEMANTIC_WEIGHTS, before, source)) {
        if (!sums.has(label)) sums.set(label, { val: [], test: [] });
        sums.get(label)![slice].push(knn(model, history, queries));
      }
    }
  }
  const mean = (xs: KnnResult[], key: keyof KnnResult) => xs.reduce((a, x) => a + x[key], 0) / Math.max(1, xs.length);
  const rows: Array<Array<string | number>> = [];
  const metrics: Record<string, number> = {};
  for (const [label, r] of sums) {
    rows.push([label, mean(r.val, 'macroF1'), mean(r.test, 'macroF1'), mean(r.test, 'ece'), mean(r.test, 'accuracy')]);
    metrics[`meaning.knn.${label}.val.macroF1`] = mean(r.val, 'macroF1');
    metrics[`meaning.knn.${label}.test.macroF1`] = mean(r.test, 'macroF1');
    metrics[`meaning.knn.${label}.test.ece`] = mean(r.test, 'ece');
  }
  return { rows, metrics };
}

interface SearchQuery {
  query: string;
  target: string;
  docs: PreparedCandidates;
  /** The query shares no (stemmed) word with its document. */
  hard: boolean;
}

/** 1 + the results other than the target scoring at least as high; Infinity when the target is not a result. */
function searchRank(ranked: Array<{ id: string; score: number }>, target: string): number {
  const hit = ranked.find((r) => r.id === target);
  if (!hit) return Infinity;
  return 1 + ranked.filter((r) => r.id !== target && r.score >= hit.score).length;
}

function knownItemQueries(data: EvalData): { val: SearchQuery[]; test: SearchQuery[] } {
  const val: SearchQuery[] = [];
  const test: SearchQuery[] = [];
  for (const [source, all] of bySource(data)) {
    if (source === GITHUB) continue;
    const docs = prepareCandidates(
      all
        .filter((i) => i.description && i.description.trim())
        .map((i) => ({ id: i.id, title: '', description: i.description })),
    );
    const s = splitSource(all);
    for (const [slice, into] of [
      [s.val, val],
      [s.test, test],
    ] as const) {
      for (const i of slice) {
        if (!i.description || !i.title.trim()) continue;
        into.push({ query: i.title, target: i.id, docs, hard: !sharesWord(i.title, i.description) });
      }
    }
  }
  return { val, test };
}

interface RawPostmortem {
  source: string;
  id: string;
  title: string | null;
  summary: string | null;
  raw_text: string | null;
}

function postmortemQueries(data: EvalData): SearchQuery[] {
  const path = join(data.dir, 'postmortems-dev.jsonl');
  if (!existsSync(path)) return [];
  const all = readJsonl<RawPostmortem>(path);
  const docs = prepareCandidates(
    all
      .map((p) => ({ id: p.id, title: '', description: (p.summary ?? p.raw_text ?? '').slice(0, 2000) }))
      .filter((d) => d.description.trim()),
  );
  return all
    .filter((p) => !p.source.startsWith('githubstatus') && p.title && (p.summary ?? p.raw_text))
    .map((p) => ({
      query: p.title!,
      target: p.id,
      docs,
      hard: !sharesWord(p.title!, (p.summary ?? p.raw_text ?? '').slice(0, 2000)),
    }));
}

function sharesWord(a: string, b: string): boolean {
  const words = new Set(terms(b));
  return terms(a).some((t) => words.has(t));
}

interface SearchScore {
  mrr: number;
  r1: number;
  r10: number;
  hardR10: number;
  hard: number;
}

function searchScore(queries: SearchQuery[], options: TextRankOptions): SearchScore {
  let mrr = 0;
  let r1 = 0;
  let r10 = 0;
  let hardHits = 0;
  let hard = 0;
  for (const q of queries) {
    const rank = searchRank(rankByText(q.docs, q.query, options), q.target);
    if (rank <= 10) mrr += 1 / rank;
    if (rank <= 1) r1++;
    if (rank <= 10) r10++;
    if (q.hard) {
      hard++;
      if (rank <= 10) hardHits++;
    }
  }
  const n = Math.max(1, queries.length);
  return { mrr: mrr / n, r1: r1 / n, r10: r10 / n, hardR10: hard ? hardHits / hard : 0, hard };
}

export function searchConfigurations(
  candidates: VectorsCandidate[],
): Array<{ label: string; options: TextRankOptions }> {
  const configs: Array<{ label: string; options: TextRankOptions }> = [
    { label: 'BM25 alone (before)', options: BM25_ONLY },
    { label: 'BM25 + lexicon 0.5', options: { ...BM25_ONLY, expansion: 0.5 } },
    { label: `BM25 + lexicon ${SEARCH_RANKING.expansion} (served)`, options: SEARCH_RANKING },
  ];
  // Not the organization's own vectors: learned from the very descriptions searched, they would have seen the answers.
  for (const c of candidates.filter((x) => x.label !== 'own')) {
    const vectors = c.vectorsBefore(null, 'search');
    for (const semantic of SEARCH_SEMANTIC_WEIGHTS) {
      configs.push({
        label: `BM25 + ${c.label} γ=${semantic}`,
        options: { expansion: 0, vectors, semantic, semanticOnlyMin: 0.8 },
      });
    }
    configs.push({
      label: `BM25 + lexicon ${SEARCH_RANKING.expansion} + ${c.label} γ=0.25`,
      options: { ...SEARCH_RANKING, vectors, semantic: 0.25, semanticOnlyMin: 0.8 },
    });
  }
  return configs;
}

export async function meaningSection(data: EvalData, options: EvalOptions): Promise<SectionResult> {
  const candidates = vectorCandidates(data, options.vectorFiles ?? []);
  options.log('meaning: kNN classification');
  const cls = classificationRows(data, candidates);
  options.log('meaning: search');
  const known = knownItemQueries(data);
  const pm = postmortemQueries(data);
  const searchRows: Array<Array<string | number>> = [];
  const metrics: Record<string, number> = { ...cls.metrics };
  for (const { label, options: o } of searchConfigurations(candidates)) {
    const v = searchScore(known.val, o);
    const t = searchScore(known.test, o);
    const p = searchScore(pm, o);
    searchRows.push([label, v.mrr, v.r10, t.mrr, t.r1, t.r10, t.hardR10, p.mrr, p.r10]);
    metrics[`meaning.search.${label}.val.mrr`] = v.mrr;
    metrics[`meaning.search.${label}.test.mrr`] = t.mrr;
    metrics[`meaning.search.${label}.test.recall@10`] = t.r10;
    metrics[`meaning.search.${label}.postmortems.mrr`] = p.mrr;
  }
  const hard = searchScore(known.test, BM25_ONLY).hard;
  options.log('meaning: retrieval');
  const models = candidates.flatMap((c) =>
    [0.5, 1].map((s) => ({
      label: `hybrid ${c.label} s=${s}`,
      model: new HybridModel(c.vectorsBefore(null, 'links'), { semantic: s }, `hybrid-${c.label}-${s}`),
    })),
  );
  const retrieval = await retrievalSection(data, { ...options, models });
  Object.assign(metrics, retrieval.metrics);
  const markdown = [
    retrieval.markdown.replace(
      '### Similar incidents',
      '### Meaning: similar incidents, argus-lexical-v1 and the hybrids',
    ),
    '',
    `### Meaning: kNN severity (neighbours alone, k=20), mean over sources; settings chosen on validation`,
    '',
    table(['model', 'val macro-F1', 'test macro-F1', 'test ECE', 'test accuracy'], cls.rows),
    '',
    `### Meaning: known-item search (title → its first update among the vendor's; ${known.val.length} validation / ${known.test.length} test queries, ${hard} test queries share no word with their document; postmortem title → its summary, ${pm.length} queries)`,
    '',
    table(
      [
        'ranking',
        'val MRR@10',
        'val R@10',
        'test MRR@10',
        'test R@1',
        'test R@10',
        'test R@10 (no shared word)',
        'postmortems MRR@10',
        'postmortems R@10',
      ],
      searchRows,
    ),
  ].join('\n');
  return { markdown, metrics };
}
