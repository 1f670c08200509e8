import { BruteforceSearch } from 'hnswlib-node';
import { performance } from 'node:perf_hooks';
import { DENSE_DIM, LexicalModel, tokenize } from '../../src/ai/models/lexical-model.js';
import { DEFAULT_RANK_OPTIONS, rankMatches } from '../../src/ai/similar/rank.js';
import { DEFAULT_INDEX_OPTIONS, VectorIndex } from '../../src/ai/similar/vector-index.js';
import { EvalData, serviceText } from './data.js';
import { EvalOptions, SectionResult, percentile, table } from './report.js';
import { seededRandom } from '../seeded-random.js';

/**
 * A variation of a real incident text, for corpora larger than the data: every word is dropped with probability
 * 0.15 or replaced by a synthetic token (host / error code) with probability 0.05, and a reference number is appended.
 */
export function vary(text: string, random: () => number): string {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const r = random();
    if (r < 0.15) continue;
    out.push(
      r < 0.2
        ? random() < 0.5
          ? `host${Math.floor(random() * 5000)}`
          : `e${Math.floor(random() * 900 + 100)}`
        : token,
    );
  }
  out.push(`ref${Math.floor(random() * 1e6)}`);
  return out.join(' ');
}

/**
 * HNSW recall@10 against exact search over the same dense vectors (hnswlib's brute-force index), and query latency
 * at each size: the bare HNSW search, and the whole similar-incident ranking (HNSW candidates + incidents started
 * within a day + sparse re-ranking) that the API runs per request. The corpus is the real dev texts, then variations
 * of them (vary()) up to the size; queries are fresh variations that are not in the index.
 */
export async function hnswSection(data: EvalData, options: EvalOptions): Promise<SectionResult> {
  const model = new LexicalModel();
  const base = data.incidents.map((i) => ({ text: `${i.title}\n${i.description ?? ''}`, service: serviceText(i) }));
  const rows: Array<Array<string | number>> = [];
  const metrics: Record<string, number> = {};
  const span = 5 * 365 * 24 * 3600_000;
  const t0 = Date.parse('2020-01-01T00:00:00Z');
  for (const size of options.hnswSizes) {
    const random = seededRandom(size);
    const index = new VectorIndex(model, { ...DEFAULT_INDEX_OPTIONS, initialCapacity: size });
    const exact = new BruteforceSearch('ip', DENSE_DIM);
    exact.initIndex(size);
    const buildStart = performance.now();
    for (let i = 0; i < size; i++) {
      const doc = base[i % base.length];
      const text = i < base.length ? doc.text : vary(doc.text, random);
      const sparse = model.sparse(text, doc.service);
      index.upsert({ id: String(i), sparse, startedAt: t0 + Math.floor(random() * span), serviceId: doc.service });
      exact.addPoint(Array.from(model.dense(sparse)), i);
    }
    const buildMs = performance.now() - buildStart;
    let found = 0;
    const bare: number[] = [];
    const full: number[] = [];
    const fullCpu: number[] = [];
    const queries = Math.max(1, options.hnswQueries);
    for (let q = -20; q < queries; q++) {
      const doc = base[Math.floor(random() * base.length)];
      const sparse = model.sparse(vary(doc.text, random), doc.service);
      const dense = model.dense(sparse);
      const query = { id: 'query', sparse, startedAt: t0 + Math.floor(random() * span), serviceId: doc.service };
      let start = performance.now();
      const approx = index.nearest(sparse, 10);
      const bareMs = performance.now() - start;
      start = performance.now();
      const cpu = process.cpuUsage();
      rankMatches(index, query);
      const fullMs = performance.now() - start;
      const used = process.cpuUsage(cpu);
      if (q < 0) continue; // warm-up
      bare.push(bareMs);
      full.push(fullMs);
      fullCpu.push((used.user + used.system) / 1000);
      const truth = exact.searchKnn(Array.from(dense), Math.min(10, size));
      // Ties: any result at least as close as the exact 10th neighbour counts.
      const kth = Math.max(...truth.distances);
      for (const entry of approx) {
        const d = 1 - dot(dense, model.dense(entry.sparse));
        if (d <= kth + 1e-5) found++;
      }
    }
    const recall = found / (queries * Math.min(10, size));
    bare.sort((a, b) => a - b);
    full.sort((a, b) => a - b);
    fullCpu.sort((a, b) => a - b);
    const key = `hnsw.${size}`;
    Object.assign(metrics, {
      [`${key}.recall@10`]: recall,
      [`${key}.search.p50ms`]: percentile(bare, 0.5),
      [`${key}.search.p95ms`]: percentile(bare, 0.95),
      [`${key}.similar.p50ms`]: percentile(full, 0.5),
      [`${key}.similar.p95ms`]: percentile(full, 0.95),
      [`${key}.similar.cpu.p50ms`]: percentile(fullCpu, 0.5),
      [`${key}.similar.cpu.p95ms`]: percentile(fullCpu, 0.95),
      [`${key}.buildSeconds`]: buildMs / 1000,
    });
    rows.push([
      size,
      recall,
      percentile(bare, 0.5),
      percentile(bare, 0.95),
      percentile(full, 0.5),
      percentile(full, 0.95),
      percentile(fullCpu, 0.5),
      percentile(fullCpu, 0.95),
      buildMs / 1000,
    ]);
    options.log(`hnsw: ${size} vectors done`);
  }
  const o = DEFAULT_INDEX_OPTIONS;
  const markdown = [
    `### HNSW (${DENSE_DIM}-d, M=${o.m}, efConstruction=${o.efConstruction}, ef=${o.ef}): recall@10 against exact search, latency on one core`,
    '',
    table(
      [
        'vectors',
        'recall@10',
        'HNSW search p50 ms',
        'p95 ms',
        'ranking p50 ms',
        'p95 ms',
        'ranking CPU p50 ms',
        'CPU p95 ms',
        'build s',
      ],
      rows,
    ),
    '',
    `Corpus: the ${base.length} dev incident texts, then variations of them (each word dropped with p 0.15 or replaced by a synthetic host/error token with p 0.05, plus a reference number); ${options.hnswQueries} queries are fresh variations not in the index; start times spread over five years. The ranking is the API's whole per-request computation after the incident is loaded (HNSW top-${DEFAULT_RANK_OPTIONS.candidates} + incidents started within a day + sparse re-ranking); its CPU time (process.cpuUsage) is what one core spends on it, which a busy machine inflates far less than the wall time.`,
  ].join('\n');
  return { markdown, metrics };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
