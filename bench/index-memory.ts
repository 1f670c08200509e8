import { performance } from 'node:perf_hooks';
import { LexicalModel } from '../src/ai/models/lexical-model.js';
import { decodeSparse, encodeSparse } from '../src/ai/models/sparse-vector.js';
import { VectorIndex, DEFAULT_INDEX_OPTIONS } from '../src/ai/similar/vector-index.js';
import { seededRandom } from '../tools/seeded-random.js';
import { SERVICE_NAMES, incidentText } from './seed.js';
import { randomUUID } from 'node:crypto';

/**
 * In-process memory of one organization's similar-incident index: N bench-like incidents (bench/seed.ts texts), their
 * stored vectors as a build reads them, then the index (`load` then `fillGraph` as the server builds it, or `upsert`
 * one by one); process.memoryUsage() after each step, after a full GC.
 * Usage: npx tsc -p bench/tsconfig.json && node --expose-gc dist-bench/bench/index-memory.js [N] [load|upsert]
 */
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number) => (n / 2 ** 20).toFixed(1);
function report(step: string, base?: NodeJS.MemoryUsage): NodeJS.MemoryUsage {
  gc();
  gc();
  const m = process.memoryUsage();
  const d = base
    ? ` (Δ rss ${mb(m.rss - base.rss)}, heap ${mb(m.heapUsed - base.heapUsed)}, external+ab ${mb(m.external + m.arrayBuffers - base.external - base.arrayBuffers)})`
    : '';
  process.stdout.write(
    `${step.padEnd(28)} rss ${mb(m.rss)} MB, heapUsed ${mb(m.heapUsed)}, external ${mb(m.external)}, arrayBuffers ${mb(m.arrayBuffers)}${d}\n`,
  );
  return m;
}

const n = Number(process.argv[2] ?? 20_000);
const model = new LexicalModel();
const start = report('start');
const random = seededRandom(3);
const services = SERVICE_NAMES;
const serviceIds = services.map(() => randomUUID());
const rows: Array<{ id: string; sparse: Buffer; startedAt: number; serviceId: string }> = [];
let nnz = 0;
for (let i = 0; i < n; i++) {
  const s = Math.floor(random() * services.length);
  const text = incidentText(random, services[s]);
  const v = model.embedIncident({ ...text, service: services[s] });
  nnz += v.idx.length;
  rows.push({
    id: randomUUID(),
    sparse: encodeSparse(v),
    startedAt: Date.now() - (n - i) * 60_000,
    serviceId: serviceIds[s],
  });
}
const withRows = report(`${n} stored rows (bytea)`, start);
process.stdout.write(`mean non-zeros per vector: ${(nnz / n).toFixed(1)}\n`);
const index = new VectorIndex(model, { ...DEFAULT_INDEX_OPTIONS, initialCapacity: Math.ceil(n * 1.25) });
const t = performance.now();
const mode = process.argv[3] ?? 'load';
for (const row of rows) {
  if (mode === 'load')
    index.load({ id: row.id, sparse: decodeSparse(row.sparse), startedAt: row.startedAt, serviceId: row.serviceId });
  else
    index.upsert({ id: row.id, sparse: decodeSparse(row.sparse), startedAt: row.startedAt, serviceId: row.serviceId });
}
if (mode === 'load') {
  report('loaded, graph empty', withRows);
  while (index.fillGraph(performance.now() + 20) > 0);
}
const built = report(`index built (${((performance.now() - t) / 1000).toFixed(1)} s)`, withRows);
rows.length = 0;
const alone = report('rows dropped', start);
process.stdout.write(
  `per incident: rss ${((alone.rss - start.rss) / n).toFixed(0)} B, heap ${((alone.heapUsed - start.heapUsed) / n).toFixed(0)} B (Δ build ${((built.rss - withRows.rss) / n).toFixed(0)} B rss)\n`,
);
index.idfWeights();
