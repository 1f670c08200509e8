import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ArgusLexicalEmbeddings } from '../../src/ai/models/langchain-embeddings';
import { DENSE_DIM, LEXICAL_MODEL_NAME, LEXICAL_V1, LexicalModel, SPARSE_DIM } from '../../src/ai/models/lexical-model';
import { decodeSparse, encodeSparse, sparseDot, sparseNorm, weightedCosine } from '../../src/ai/models/sparse-vector';

const model = new LexicalModel();
const cos = (a: string, b: string) => sparseDot(model.sparse(a), model.sparse(b));
const dense = (text: string) => model.dense(model.sparse(text));
const denseCos = (a: string, b: string) => {
  const x = dense(a);
  const y = dense(b);
  return x.reduce((sum, v, i) => sum + v * y[i], 0);
};

describe('argus-lexical-v1', () => {
  it('is deterministic, in this and any other instance', () => {
    const text = 'Git push operations failing with 500 errors';
    const a = model.sparse(text, 'Git Operations');
    const b = new LexicalModel().sparse(text, 'Git Operations');
    expect(Array.from(a.idx)).toEqual(Array.from(b.idx));
    expect(Array.from(a.val)).toEqual(Array.from(b.val));
    expect(Array.from(model.dense(a))).toEqual(Array.from(new LexicalModel().dense(b)));
    expect(model.name).toBe(LEXICAL_MODEL_NAME);
  });

  it('gives unit-length vectors with sorted indices inside the 2^16 buckets, and DENSE_DIM (192) dense dimensions', () => {
    for (const text of ['Webhooks delayed', 'Elevated error rates for API requests in us-east-1 (HTTP 503)', 'x']) {
      const v = model.sparse(text);
      expect(sparseNorm(v)).toBeCloseTo(1, 5);
      for (let i = 1; i < v.idx.length; i++) expect(v.idx[i]).toBeGreaterThan(v.idx[i - 1]);
      expect(Math.max(...v.idx)).toBeLessThan(SPARSE_DIM);
      const d = dense(text);
      expect(d).toHaveLength(DENSE_DIM);
      expect(Math.hypot(...d)).toBeCloseTo(1, 5);
    }
  });

  it('projects onto another number of dense dimensions when asked (the evaluation of the projection size)', () => {
    const small = new LexicalModel(LEXICAL_V1, LEXICAL_MODEL_NAME, 0, 96);
    const v = small.sparse('Elevated error rates for API requests in us-east-1 (HTTP 503)');
    expect(Array.from(v.idx)).toEqual(
      Array.from(model.sparse('Elevated error rates for API requests in us-east-1 (HTTP 503)').idx),
    );
    const d = small.dense(v);
    expect(small.denseDim).toBe(96);
    expect(d).toHaveLength(96);
    expect(Math.hypot(...d)).toBeCloseTo(1, 5);
    expect(model.denseDim).toBe(DENSE_DIM);
  });

  it('embeds an empty text as the zero vector rather than NaN', () => {
    const v = model.sparse('  ... ');
    expect(v.idx).toHaveLength(0);
    expect(Array.from(model.dense(v)).every((x) => x === 0)).toBe(true);
  });

  it('puts similar texts closer than unrelated ones, in the sparse and the dense space', () => {
    const query = 'Git push operations failing with 500 errors for some repositories';
    const near = 'Git pushes failing with 500 errors';
    const far = 'TLS certificate expired on the status page';
    expect(cos(query, near)).toBeGreaterThan(0.3);
    expect(cos(query, far)).toBeLessThan(0.05);
    expect(denseCos(query, near)).toBeGreaterThan(denseCos(query, far) + 0.2);
  });

  it('counts the service: same words under the same service are closer', () => {
    const a = model.embedIncident({ title: 'Elevated latency', service: 'Actions' });
    const same = model.embedIncident({ title: 'Elevated latency', service: 'Actions' });
    const other = model.embedIncident({ title: 'Elevated latency', service: 'Pages' });
    expect(sparseDot(a, same)).toBeCloseTo(1, 5);
    expect(sparseDot(a, other)).toBeLessThan(sparseDot(a, same));
  });

  it('weights repeated words sublinearly', () => {
    const unigrams = new LexicalModel({ ...LEXICAL_V1, bigrams: 0 });
    const once = unigrams.sparse('outage');
    const many = unigrams.sparse('outage outage outage outage outage database');
    const withOne = unigrams.sparse('outage database');
    // 1 + ln 5 ≈ 2.6, not 5: raw counts would give 0.98 and 0.83 here.
    expect(sparseDot(many, once)).toBeCloseTo((1 + Math.log(5)) / Math.hypot(1 + Math.log(5), 1), 5);
    expect(sparseDot(many, withOne)).toBeGreaterThan(0.9);
  });

  it('IDF weighting lowers what every document shares', () => {
    const a = model.sparse('incident with actions runners');
    const b = model.sparse('incident with codespaces');
    const flat = new Float32Array(SPARSE_DIM).fill(1);
    const idf = new Float32Array(SPARSE_DIM).fill(3);
    for (const i of model.sparse('incident').idx) idf[i] = 0.1;
    expect(weightedCosine(a, b, idf)).toBeLessThan(weightedCosine(a, b, flat));
  });

  it('round-trips through the stored bytea form', () => {
    const v = model.sparse('Database replica lag in us-east', 'Managed Databases');
    const back = decodeSparse(encodeSparse(v));
    expect(Array.from(back.idx)).toEqual(Array.from(v.idx));
    expect(Array.from(back.val)).toEqual(Array.from(v.val));
    expect(() => decodeSparse(Buffer.alloc(7))).toThrow(/multiple of 6/);
  });

  it('is a LangChain Embeddings', async () => {
    const embeddings = new ArgusLexicalEmbeddings();
    const [a, b] = await embeddings.embedDocuments(['Webhooks delayed', 'Pages builds failing']);
    const q = await embeddings.embedQuery('Webhooks delayed');
    expect(a).toHaveLength(DENSE_DIM);
    expect(q).toEqual(a);
    expect(b).not.toEqual(a);
    expect(embeddings.modelName).toBe(LEXICAL_MODEL_NAME);
  });
});
