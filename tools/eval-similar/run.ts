import { LEXICAL_MODEL_NAME } from '../../src/ai/models/lexical-model.js';
import { EvalData, loadEvalData } from './data.js';
import { EvalOptions, SectionResult } from './report.js';
import { retrievalSection } from './retrieval.js';
import { hnswSection } from './hnsw.js';
import { meaningSection } from './meaning.js';
import { dimsSection } from './dims.js';

/** One part of `npm run eval:ai`. */
export interface EvalSection {
  name: string;
  run(data: EvalData, options: EvalOptions): Promise<SectionResult>;
  /** Run only when `--sections` names it (a measurement for a decision, too slow for every run). */
  onRequest?: boolean;
}

/**
 * The sections, in the order printed. The classification evaluation (issue 4, item 3) is added here as one more
 * entry: `{ name: 'classification', run: classificationSection }`, a function of the same signature in its own module.
 */
export const SECTIONS: EvalSection[] = [
  { name: 'retrieval', run: retrievalSection },
  { name: 'hnsw', run: hnswSection },
  { name: 'meaning', run: meaningSection },
  { name: 'dims', run: dimsSection, onRequest: true },
];

export const DEFAULT_EVAL_OPTIONS: EvalOptions = {
  hnswSizes: [10_000, 100_000],
  hnswQueries: 200,
  dims: [96, 128, 160, 192, 256],
  dimsCandidates: [200, 300, 400],
  dimsSize: 20_000,
  variants: false,
  log: () => {},
};

export interface EvalReport {
  model: string;
  markdown: string;
  metrics: Record<string, number>;
}

export async function runEvaluation(
  dir: string,
  options: Partial<EvalOptions> & { sections?: string[] } = {},
): Promise<EvalReport> {
  const opts: EvalOptions = { ...DEFAULT_EVAL_OPTIONS, ...options };
  const data = loadEvalData(dir);
  const chosen = options.sections
    ? SECTIONS.filter((s) => options.sections!.includes(s.name))
    : SECTIONS.filter((s) => !s.onRequest);
  const parts = [
    `## Argus AI evaluation (${data.incidents.length} incidents, ${data.links.length} links, model ${LEXICAL_MODEL_NAME})`,
  ];
  const metrics: Record<string, number> = {};
  for (const section of chosen) {
    opts.log(`running ${section.name}`);
    const result = await section.run(data, opts);
    parts.push(result.markdown);
    Object.assign(metrics, result.metrics);
  }
  return { model: LEXICAL_MODEL_NAME, markdown: parts.join('\n\n') + '\n', metrics };
}
