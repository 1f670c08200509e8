import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SECTIONS, runEvaluation } from '../../tools/eval-similar/run';
import { pessimisticRank } from '../../tools/eval-similar/retrieval';

const FIXTURES = join(__dirname, '..', 'fixtures', 'ai');
const ROOT = join(__dirname, '..', '..');

describe('npm run eval:ai', () => {
  it('counts ties against the model', () => {
    const scores = new Map([
      [1, 0.5],
      [2, 0.5],
      [3, 0.9],
      [4, 0.1],
    ]);
    expect(pessimisticRank(scores, 1)).toBe(3);
    expect(pessimisticRank(scores, 3)).toBe(1);
    expect(pessimisticRank(scores, 9)).toBe(Infinity);
  });

  it('reports retrieval beside the TF-IDF baseline and HNSW recall and latency, section by section', async () => {
    expect(SECTIONS.map((s) => s.name)).toEqual(['retrieval', 'hnsw', 'meaning', 'dims']);
    const report = await runEvaluation(FIXTURES, { hnswSizes: [200, 400], hnswQueries: 20 });
    expect(report.model).toBe('argus-lexical-v1');
    expect(report.metrics['retrieval.links']).toBe(6);
    expect(report.metrics['retrieval.skipped']).toBe(1);
    for (const key of [
      'tfidf-baseline',
      'argus-lexical-v1:text-exact',
      'argus-lexical-v1:text-two-stage',
      'argus-lexical-v1:served',
    ]) {
      for (const k of [5, 10]) {
        const value = report.metrics[`retrieval.${key}.recall@${k}`];
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    // The fixture's links are incidents that started within three hours of each other: time is what finds them.
    expect(report.metrics['retrieval.argus-lexical-v1:served.recall@10']).toBeGreaterThan(
      report.metrics['retrieval.tfidf-baseline.recall@10'],
    );
    for (const size of [200, 400]) {
      expect(report.metrics[`hnsw.${size}.recall@10`]).toBeGreaterThan(0.9);
      expect(report.metrics[`hnsw.${size}.similar.p50ms`]).toBeGreaterThan(0);
    }
    expect(report.markdown).toContain('| tfidf-baseline |');
    expect(report.markdown).toContain('| 400 |');
    // The meaning section: the hybrids (lexical + domain word vectors learned from the GitHub records) beside the
    // model.
    expect(report.markdown).toContain('### Meaning: similar incidents');
    expect(report.markdown).toContain('### Meaning: known-item search');
    for (const s of [0.5, 1])
      expect(report.metrics[`retrieval.hybrid cooc s=${s}:served.recall@10`]).toBeGreaterThanOrEqual(0);
    // The dims section runs only when named.
    expect(report.markdown).not.toContain('### Dense projection');
  });

  it('measures the dense projection size and the candidate count against the exact sparse ranking', async () => {
    const report = await runEvaluation(FIXTURES, {
      sections: ['dims'],
      dims: [4, 256],
      dimsCandidates: [3, 400],
      dimsSize: 300,
      hnswQueries: 20,
    });
    expect(report.markdown).toContain('### Dense projection × candidates');
    // 401 candidates out of 300 incidents: the re-ranking sees everything, whatever the projection.
    for (const dim of [4, 256]) {
      expect(report.metrics[`dims.${dim}.400.exactDense.top10`]).toBe(1);
      expect(report.metrics[`dims.${dim}.400.hnsw.top10`]).toBe(1);
      expect(report.metrics[`dims.${dim}.400.cpu.perSearchMs`]).toBeGreaterThan(0);
    }
    // Four dimensions and four candidates lose much of the top 10; 256 loses less.
    expect(report.metrics['dims.4.3.exactDense.top10']).toBeLessThan(0.8);
    expect(report.metrics['dims.256.3.exactDense.top10']).toBeGreaterThan(report.metrics['dims.4.3.exactDense.top10']);
    for (const dim of [4, 256])
      for (const c of [3, 400]) expect(report.metrics[`dims.${dim}.${c}.links.recall@10`]).toBeGreaterThanOrEqual(0);
  });

  it('runs from dist/ with the data folder as an argument', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'argus-eval-')), 'metrics.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'dist-tools', 'tools', 'eval-ai.js'), FIXTURES, '--sections', 'retrieval', '--json', out],
      { cwd: ROOT },
    );
    expect(stdout).toContain('### Similar incidents');
    expect(stdout).not.toContain('### HNSW');
    expect(JSON.parse(readFileSync(out, 'utf8')).metrics['retrieval.links']).toBe(6);
  });

  it('says what is wrong with its arguments', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [join(ROOT, 'dist-tools', 'tools', 'eval-ai.js'), join(FIXTURES, 'nowhere')],
      { cwd: ROOT },
    );
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('incidents-dev.jsonl not found'),
    });
  });
});
