import { LEXICAL_V1, LexicalModel, LexicalOptions } from '../../src/ai/models/lexical-model.js';
import { weightedCosine } from '../../src/ai/models/sparse-vector.js';
import type { SparseVector } from '../../src/ai/models/sparse-vector.js';
import { DEFAULT_RANK_OPTIONS, rankMatches } from '../../src/ai/similar/rank.js';
import { VectorIndex, IndexedIncident } from '../../src/ai/similar/vector-index.js';
import { EvalData, EvalIncident, serviceText } from './data.js';
import { TfIdfBaseline } from './tfidf.js';
import { EvalOptions, SectionResult, table } from './report.js';

export interface VendorPool {
  incidents: EvalIncident[];
  position: Map<string, number>;
}

/** A ranking of one query: the score of every candidate it considered (absent = never a candidate). */
export type Scores = Map<number, number>;

export interface Method {
  name: string;
  note: string;
  scores(pool: VendorPool, query: number): Scores;
}

/** 1 + the candidates (other than the positive) scoring at least as high: ties count against us. */
export function pessimisticRank(scores: Scores, positive: number): number {
  const target = scores.get(positive);
  if (target === undefined) return Infinity;
  let rank = 1;
  for (const [candidate, score] of scores) if (candidate !== positive && score >= target) rank++;
  return rank;
}

/**
 * Similar-incident recall@5/@10 on the vendor-written links: for each link, the query incident is ranked against
 * every other incident of its vendor, and a hit is the linked incident within the top k. Links whose incidents are
 * missing, or that point at another vendor, are skipped and counted.
 */
export async function retrievalSection(data: EvalData, options: EvalOptions): Promise<SectionResult> {
  const { usable, skipped } = vendorLinks(data);
  const methods = [...baselineMethods(), ...modelMethods(LEXICAL_V1, 'argus-lexical-v1')];
  for (const extra of options.models ?? []) methods.push(...methodsOf(extra.model, extra.label));
  if (options.variants) methods.push(...variantMethods());
  const rows: Array<Array<string | number>> = [];
  const metrics: Record<string, number> = { 'retrieval.links': usable.length, 'retrieval.skipped': skipped };
  for (const method of methods) {
    let hit5 = 0;
    let hit10 = 0;
    for (const { pool, query, positive } of usable) {
      const rank = pessimisticRank(method.scores(pool, query), positive);
      if (rank <= 5) hit5++;
      if (rank <= 10) hit10++;
    }
    const r5 = usable.length ? hit5 / usable.length : 0;
    const r10 = usable.length ? hit10 / usable.length : 0;
    metrics[`retrieval.${method.name}.recall@5`] = r5;
    metrics[`retrieval.${method.name}.recall@10`] = r10;
    rows.push([method.name, r5, r10, method.note]);
  }
  const markdown = [
    `### Similar incidents: recall on ${usable.length} vendor-written links (${skipped} skipped: missing or cross-vendor), ties counted against`,
    '',
    table(['method', 'recall@5', 'recall@10', 'what'], rows),
  ].join('\n');
  return { markdown, metrics };
}

export interface VendorLink {
  pool: VendorPool;
  query: number;
  positive: number;
  relation: string;
}

/**
 * The links whose two incidents are in the data and of one vendor, each with its vendor's incidents; the rest counted.
 */
export function vendorLinks(data: EvalData): { usable: VendorLink[]; skipped: number } {
  const vendors = new Map<string, VendorPool>();
  for (const incident of data.incidents) {
    let pool = vendors.get(incident.source);
    if (!pool) vendors.set(incident.source, (pool = { incidents: [], position: new Map() }));
    pool.position.set(incident.id, pool.incidents.length);
    pool.incidents.push(incident);
  }
  const byId = new Map(data.incidents.map((i) => [i.id, i]));
  const usable: VendorLink[] = [];
  let skipped = 0;
  for (const link of data.links) {
    const query = byId.get(link.query_id);
    const positive = byId.get(link.positive_id);
    if (!query || !positive || query.source !== positive.source) {
      skipped++;
      continue;
    }
    const pool = vendors.get(query.source)!;
    usable.push({
      pool,
      query: pool.position.get(query.id)!,
      positive: pool.position.get(positive.id)!,
      relation: link.relation,
    });
  }
  return { usable, skipped };
}

function baselineMethods(): Method[] {
  const cache = new WeakMap<VendorPool, TfIdfBaseline>();
  return [
    {
      name: 'tfidf-baseline',
      note: 'TF-IDF word unigrams of title + description, exact cosine',
      scores(pool, query) {
        let model = cache.get(pool);
        if (!model)
          cache.set(pool, (model = new TfIdfBaseline(pool.incidents.map((i) => `${i.title}\n${i.description ?? ''}`))));
        const scores: Scores = new Map();
        for (let c = 0; c < pool.incidents.length; c++) if (c !== query) scores.set(c, model.similarity(query, c));
        return scores;
      },
    },
  ];
}

interface ModelPool {
  sparse: SparseVector[];
  entries: IndexedIncident[];
  index: VectorIndex;
}

/** The model's own rows: exact text, two-stage text (the HNSW path), and the served score (text + service + time). */
function modelMethods(options: LexicalOptions, label: string, onlyExact = false): Method[] {
  return methodsOf(new LexicalModel(options, label), label, onlyExact);
}

export function methodsOf(model: LexicalModel, label: string, onlyExact = false): Method[] {
  const cache = new WeakMap<VendorPool, ModelPool>();
  const build = (pool: VendorPool): ModelPool => {
    let built = cache.get(pool);
    if (built) return built;
    const index = new VectorIndex(model, {
      m: 16,
      efConstruction: 100,
      ef: 128,
      initialCapacity: pool.incidents.length + 1,
    });
    const sparse = pool.incidents.map((i) =>
      model.embedIncident({ title: i.title, description: i.description, service: serviceText(i) }),
    );
    const entries = pool.incidents.map((i, n) => ({
      id: String(n),
      sparse: sparse[n],
      startedAt: Date.parse(i.started_at),
      serviceId: i.service,
    }));
    for (const entry of entries) index.upsert(entry);
    cache.set(pool, (built = { sparse, entries, index }));
    return built;
  };
  const exactText: Method = {
    name: `${label}:text-exact`,
    note: 'sparse 2^16, IDF-weighted cosine, exact over all',
    scores(pool, query) {
      const { sparse, index } = build(pool);
      const idf = index.idfWeights();
      const scores: Scores = new Map();
      for (let c = 0; c < sparse.length; c++)
        if (c !== query) scores.set(c, weightedCosine(sparse[query], sparse[c], idf));
      return scores;
    },
  };
  if (onlyExact) return [exactText];
  return [
    exactText,
    {
      name: `${label}:text-two-stage`,
      note: `HNSW top-${DEFAULT_RANK_OPTIONS.candidates} on the dense projection, re-ranked by the sparse cosine`,
      scores(pool, query) {
        const { entries, index } = build(pool);
        const ranked = rankMatches(index, entries[query], {
          candidates: DEFAULT_RANK_OPTIONS.candidates,
          nearInTime: 0,
        });
        return new Map(ranked.map((r) => [Number(r.entry.id), r.text]));
      },
    },
    {
      name: `${label}:similar`,
      note: 'served "similar" score: two-stage text × same-service boost (no time)',
      scores(pool, query) {
        const { entries, index } = build(pool);
        const ranked = rankMatches(index, entries[query], {
          candidates: DEFAULT_RANK_OPTIONS.candidates,
          nearInTime: 0,
        });
        return new Map(ranked.map((r) => [Number(r.entry.id), r.match.similar]));
      },
    },
    {
      name: `${label}:served`,
      note: 'served score as the API ranks: max(similar, possible duplicate), + candidates started within a day',
      scores(pool, query) {
        const { entries, index } = build(pool);
        return new Map(rankMatches(index, entries[query]).map((r) => [Number(r.entry.id), r.match.score]));
      },
    },
  ];
}

/** The alternatives argus-lexical-v1 was chosen among (exact text search only); `--variants` prints them. */
function variantMethods(): Method[] {
  const variants: Array<[string, Partial<LexicalOptions>]> = [
    ['v:unigrams', { bigrams: 0, service: 0 }],
    ['v:uni+bi', { service: 0 }],
    ['v:uni+bi+service', {}],
    ['v:uni+bi+service+chars3/4', { chars: 1 }],
    ['v:uni+bi+service+chars3/4@0.3', { chars: 0.3 }],
    ['v:service-x2', { service: 2 }],
    ['v:no-stopwords-list', { stopWords: false }],
    ['v:maxTokens-1000', { maxTokens: 1000 }],
    ['v:maxTokens-80', { maxTokens: 80 }],
  ];
  const methods = variants.flatMap(([name, o]) => modelMethods({ ...LEXICAL_V1, ...o }, name, true));
  // The same features without IDF (plain sublinear TF cosine), to show what the organization's IDF is worth.
  const model = new LexicalModel(LEXICAL_V1);
  const cache = new WeakMap<VendorPool, SparseVector[]>();
  const ones = new Float32Array(1 << 16).fill(1);
  methods.push({
    name: 'v:no-idf',
    note: 'argus-lexical-v1 features, sublinear TF only',
    scores(pool, query) {
      let sparse = cache.get(pool);
      if (!sparse)
        cache.set(
          pool,
          (sparse = pool.incidents.map((i) =>
            model.embedIncident({ title: i.title, description: i.description, service: serviceText(i) }),
          )),
        );
      const scores: Scores = new Map();
      for (let c = 0; c < sparse.length; c++)
        if (c !== query) scores.set(c, weightedCosine(sparse[query], sparse[c], ones));
      return scores;
    },
  });
  for (const m of methods) if (!m.note) m.note = 'variant, exact text';
  return methods;
}
