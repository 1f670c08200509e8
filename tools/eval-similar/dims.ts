import { BruteforceSearch, HierarchicalNSW } from 'hnswlib-node';
import { performance } from 'node:perf_hooks';
import { LexicalModel } from '../../src/ai/models/lexical-model.js';
import { weightedCosine, weightedNorm } from '../../src/ai/models/sparse-vector.js';
import type { SparseVector } from '../../src/ai/models/sparse-vector.js';
import { DEFAULT_RANK_OPTIONS } from '../../src/ai/similar/rank.js';
import { DEFAULT_INDEX_OPTIONS, VectorIndex } from '../../src/ai/similar/vector-index.js';
import { EvalData, serviceText } from './data.js';
import { vary } from './hnsw.js';
import { seededRandom } from '../seeded-random.js';
import { EvalOptions, SectionResult, percentile, table } from './report.js';
import { VendorLink, pessimisticRank, vendorLinks } from './retrieval.js';

/** Scores within this of the exact 10th count as found (ties in the exact ranking). */
const TIE = 1e-6;

/** The corpus of one run: sparse vectors, their IDF, and the queries (fresh variations, not in the corpus). */
interface Corpus {
  sparse: SparseVector[];
  idf: Float32Array;
  queries: SparseVector[];
}

/**
 * Dimension of the dense projection × HNSW candidates: how much of the exact sparse ranking's top 10 the two-stage
 * search keeps (candidates by the dense vectors, re-ranked by the sparse IDF-weighted cosine), with the candidates from
 * exact dense search (only the projection differs) and from an HNSW graph built as the service builds it (M,
 * efConstruction, ef = max(ef, k) of DEFAULT_INDEX_OPTIONS), the CPU of one such search in this process, and the
 * two-stage recall on the vendor-written links. Only with `--sections dims`: it builds a graph per dimension.
 */
export async function dimsSection(data: EvalData, options: EvalOptions): Promise<SectionResult> {
  const corpus = buildCorpus(data, options.dimsSize, options.hnswQueries);
  const truth = corpus.queries.map((q) => exactTop10(corpus, q));
  const { usable, skipped } = vendorLinks(data);
  const rows: Array<Array<string | number>> = [];
  const metrics: Record<string, number> = {};
  for (const dim of options.dims) {
    const model = new LexicalModel(undefined, undefined, undefined, dim);
    const dense = corpus.sparse.map((s) => Array.from(model.dense(s)));
    const exact = new BruteforceSearch('ip', dim);
    exact.initIndex(dense.length);
    dense.forEach((v, i) => exact.addPoint(v, i));
    const buildStart = process.cpuUsage();
    const graph = graphOf(dense, dim);
    const build = process.cpuUsage(buildStart);
    for (const candidates of options.dimsCandidates) {
      const k = candidates + 1; // as rankMatches asks: the incident asked about is in the index and dropped
      graph.setEf(Math.max(DEFAULT_INDEX_OPTIONS.ef, k));
      let foundExact = 0;
      let foundHnsw = 0;
      corpus.queries.forEach((q, n) => {
        const labels = exact.searchKnn(Array.from(model.dense(q)), Math.min(k, dense.length)).neighbors;
        foundExact += found(rerank(corpus, q, labels), truth[n]);
        foundHnsw += found(twoStage(model, graph, corpus, q, k), truth[n]);
      });
      const { cpuMs, wall } = timeSearches(model, graph, corpus, k);
      const links = linkRecall(usable, model, candidates);
      const key = `dims.${dim}.${candidates}`;
      const total = corpus.queries.length * 10;
      Object.assign(metrics, {
        [`${key}.exactDense.top10`]: foundExact / total,
        [`${key}.hnsw.top10`]: foundHnsw / total,
        [`${key}.cpu.perSearchMs`]: cpuMs,
        [`${key}.wall.p50ms`]: percentile(wall, 0.5),
        [`${key}.links.recall@10`]: links.recall10,
        [`${key}.links.recall@5`]: links.recall5,
      });
      rows.push([
        dim,
        candidates,
        foundExact / total,
        foundHnsw / total,
        cpuMs,
        percentile(wall, 0.5),
        percentile(wall, 0.95),
        links.recall5,
        links.recall10,
        (dim * 4 * 100_000) / 1e6,
        (build.user + build.system) / 1e6,
      ]);
      options.log(`dims: ${dim}-d, ${candidates} candidates done`);
    }
  }
  const o = DEFAULT_INDEX_OPTIONS;
  const markdown = [
    `### Dense projection × candidates: the two-stage search against the exact sparse ranking (${corpus.sparse.length} incidents, ${corpus.queries.length} queries)`,
    '',
    table(
      [
        'dims',
        'candidates',
        'top-10 kept, exact dense',
        'top-10 kept, HNSW',
        'CPU/search mean ms',
        'wall p50 ms',
        'p95 ms',
        `links r@5 (${usable.length})`,
        'links r@10',
        'vectors MB per 100k',
        'graph build CPU s',
      ],
      rows,
    ),
    '',
    `"Top-10 kept": the share of the exact ranking's top 10 (sparse IDF-weighted cosine over every incident; ties with the 10th count) that the two-stage search returns: the k = candidates + 1 nearest by the dense projection, re-ranked by the same cosine. "Exact dense" takes the candidates by brute force, so that only the projection differs; "HNSW" from a graph with M=${o.m}, efConstruction=${o.efConstruction}, ef = max(${o.ef}, k), as the service builds it. Corpus: the ${data.incidents.length} dev incident texts, then variations of them (as in the HNSW section); queries are fresh variations. CPU/search: the process's CPU time (process.cpuUsage) over ${TIMED_PASSES} passes of the queries through the two-stage search (projection, graph search, re-ranking, top 10), after an untimed pass, per search; wall p50/p95 per search over the same passes. Links: recall on the ${usable.length} vendor-written links (${skipped} skipped), each query ranked within its vendor by the two-stage text score (as the retrieval section's text-two-stage row). "Vectors MB per 100k": the float32 vectors hnswlib keeps (dims × 4 bytes × 100 000), beside a graph of about ${o.m * 2 * 4 + 8} bytes per incident at level 0 that does not depend on the dimension. Service default: ${o.m}/${o.efConstruction}/${o.ef}, ${DEFAULT_RANK_OPTIONS.candidates} candidates.`,
  ].join('\n');
  return { markdown, metrics };
}

function buildCorpus(data: EvalData, size: number, queryCount: number): Corpus {
  const model = new LexicalModel();
  const base = data.incidents.map((i) => ({ text: `${i.title}\n${i.description ?? ''}`, service: serviceText(i) }));
  const random = seededRandom(size);
  const sparse: SparseVector[] = [];
  for (let i = 0; i < size; i++) {
    const doc = base[i % base.length];
    sparse.push(model.sparse(i < base.length ? doc.text : vary(doc.text, random), doc.service));
  }
  const queries: SparseVector[] = [];
  for (let q = 0; q < queryCount; q++) {
    const doc = base[Math.floor(random() * base.length)];
    queries.push(model.sparse(vary(doc.text, random), doc.service));
  }
  return { sparse, idf: idfOf(sparse), queries };
}

/** The IDF the service would weigh these incidents with (VectorIndex.idfWeights; nothing goes into its graph). */
function idfOf(sparse: SparseVector[]): Float32Array {
  const index = new VectorIndex(new LexicalModel(), { ...DEFAULT_INDEX_OPTIONS, initialCapacity: 16 });
  sparse.forEach((s, i) => index.load({ id: String(i), sparse: s, startedAt: 0, serviceId: null }));
  return index.idfWeights();
}

function graphOf(dense: number[][], dim: number): HierarchicalNSW {
  const o = DEFAULT_INDEX_OPTIONS;
  const graph = new HierarchicalNSW('ip', dim);
  graph.initIndex({
    maxElements: Math.max(16, dense.length),
    m: o.m,
    efConstruction: o.efConstruction,
    randomSeed: 100,
  });
  dense.forEach((v, i) => graph.addPoint(v, i));
  return graph;
}

interface Top10 {
  ids: number[];
  scores: number[];
}

/** The exact ranking's top 10 by the sparse IDF-weighted cosine over the whole corpus. */
function exactTop10(corpus: Corpus, query: SparseVector): Top10 {
  return rerank(
    corpus,
    query,
    corpus.sparse.map((_, i) => i),
  );
}

/** The candidates in the final order (sparse IDF-weighted cosine), the first 10. */
function rerank(corpus: Corpus, query: SparseVector, candidates: ArrayLike<number>): Top10 {
  const norm = weightedNorm(query, corpus.idf);
  const scored: Array<[number, number]> = [];
  for (let i = 0; i < candidates.length; i++) {
    const id = candidates[i];
    scored.push([id, norm === 0 ? 0 : weightedCosine(query, corpus.sparse[id], corpus.idf, norm)]);
  }
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = scored.slice(0, 10);
  return { ids: top.map(([id]) => id), scores: top.map(([, s]) => s) };
}

/**
 * Passes over the queries, timed after one untimed pass: CPU per search (the whole process, over all passes) and wall
 * times.
 */
const TIMED_PASSES = 3;

function timeSearches(
  model: LexicalModel,
  graph: HierarchicalNSW,
  corpus: Corpus,
  k: number,
): { cpuMs: number; wall: number[] } {
  for (const q of corpus.queries) twoStage(model, graph, corpus, q, k);
  const wall: number[] = [];
  const used = process.cpuUsage();
  for (let pass = 0; pass < TIMED_PASSES; pass++) {
    for (const q of corpus.queries) {
      const start = performance.now();
      twoStage(model, graph, corpus, q, k);
      wall.push(performance.now() - start);
    }
  }
  const spent = process.cpuUsage(used);
  return { cpuMs: (spent.user + spent.system) / 1000 / wall.length, wall: wall.sort((a, b) => a - b) };
}

function twoStage(model: LexicalModel, graph: HierarchicalNSW, corpus: Corpus, query: SparseVector, k: number): Top10 {
  const labels = graph.searchKnn(Array.from(model.dense(query)), Math.min(k, graph.getCurrentCount())).neighbors;
  return rerank(corpus, query, labels);
}

/** How many of the exact top 10 a ranking returns: any result scoring at least the exact 10th counts. */
function found(top: Top10, truth: Top10): number {
  const kth = truth.scores[truth.scores.length - 1] ?? -Infinity;
  return top.scores.filter((s) => s >= kth - TIE).length;
}

/** Two-stage text recall@5/@10 on the vendor links at this projection and candidate count. */
function linkRecall(
  usable: VendorLink[],
  model: LexicalModel,
  candidates: number,
): { recall5: number; recall10: number } {
  const pools = new Map<VendorLink['pool'], { corpus: Corpus; graph: HierarchicalNSW }>();
  let hit5 = 0;
  let hit10 = 0;
  for (const link of usable) {
    let built = pools.get(link.pool);
    if (!built) {
      const sparse = link.pool.incidents.map((i) =>
        model.embedIncident({ title: i.title, description: i.description, service: serviceText(i) }),
      );
      const graph = graphOf(
        sparse.map((s) => Array.from(model.dense(s))),
        model.denseDim,
      );
      pools.set(link.pool, (built = { corpus: { sparse, idf: idfOf(sparse), queries: [] }, graph }));
    }
    const { corpus, graph } = built;
    const k = Math.min(candidates + 1, corpus.sparse.length);
    graph.setEf(Math.max(DEFAULT_INDEX_OPTIONS.ef, k));
    const query = corpus.sparse[link.query];
    const labels = graph.searchKnn(Array.from(model.dense(query)), k).neighbors;
    const norm = weightedNorm(query, corpus.idf);
    const scores = new Map<number, number>();
    for (const id of labels)
      if (id !== link.query) scores.set(id, weightedCosine(query, corpus.sparse[id], corpus.idf, norm));
    const rank = pessimisticRank(scores, link.positive);
    if (rank <= 5) hit5++;
    if (rank <= 10) hit10++;
  }
  const n = Math.max(1, usable.length);
  return { recall5: hit5 / n, recall10: hit10 / n };
}
