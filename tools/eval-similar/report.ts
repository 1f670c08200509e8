/** What a section of the evaluation hands back: printable markdown and flat metrics (for tests and --json). */
export interface SectionResult {
  markdown: string;
  metrics: Record<string, number>;
}

export interface EvalOptions {
  /** Vector counts of the HNSW section (default 10k and 100k). */
  hnswSizes: number[];
  /** Queries per size for HNSW recall and latency. */
  hnswQueries: number;
  /** Dense projection sizes, candidate counts and corpus size of the dims section. */
  dims: number[];
  dimsCandidates: number[];
  dimsSize: number;
  /** Also measure the feature variants the model was chosen from. */
  variants: boolean;
  log: (line: string) => void;
  /** More embedding models measured beside argus-lexical-v1 (retrieval). */
  models?: Array<{ label: string; model: import('../../src/ai/models/lexical-model.js').LexicalModel }>;
  /** Word-vector artefacts (JSON files) measured as candidates by the meaning section. */
  vectorFiles?: string[];
}

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
