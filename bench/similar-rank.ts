import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { LexicalModel } from '../src/ai/models/lexical-model.js';
import { DEFAULT_INDEX_OPTIONS, IndexedIncident, VectorIndex } from '../src/ai/similar/vector-index.js';
import { rankMatches } from '../src/ai/similar/rank.js';
import { seededRandom } from '../tools/seeded-random.js';
import { SERVICE_NAMES, incidentText } from './seed.js';

/**
 * In-process cost of one similar-incident ranking (rankMatches: HNSW candidates, the incidents started within a day,
 * the sparse re-ranking) over N bench-like incidents a minute apart (as bench/seed.ts spaces them): CPU per query and
 * bytes allocated per query (V8's sampling heap profiler, every allocation counted, collected or not).
 * Usage: npx tsc -p bench/tsconfig.json && node dist-bench/bench/similar-rank.js [N] [queries]
 */
const n = Number(process.argv[2] ?? 100_000);
const queries = Number(process.argv[3] ?? 2_000);
const model = new LexicalModel();
const random = seededRandom(3);
const services = SERVICE_NAMES;
const serviceIds = services.map(() => randomUUID());
const index = new VectorIndex(model, { ...DEFAULT_INDEX_OPTIONS, initialCapacity: Math.ceil(n * 1.25) });
const entries: IndexedIncident[] = [];
const now = Date.now();
for (let i = 0; i < n; i++) {
  const s = Math.floor(random() * services.length);
  const entry = {
    id: randomUUID(),
    sparse: model.embedIncident({ ...incidentText(random, services[s]), service: services[s] }),
    startedAt: now - (n - i) * 60_000,
    serviceId: serviceIds[s],
  };
  index.load(entry);
  if (i % 50 === 0) entries.push(entry);
}
while (index.fillGraph(performance.now() + 1_000) > 0);
const pick = () => entries[Math.floor(random() * entries.length)];

const session = new Session();
session.connect();
const post = <T>(method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))),
  );
interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}
const total = (node: ProfileNode): number =>
  node.selfSize + node.children.reduce((sum, child) => sum + total(child), 0);

async function main(): Promise<void> {
  for (let i = 0; i < 300; i++) rankMatches(index, pick());
  let checksum = 0;
  const t = performance.now();
  for (let i = 0; i < queries; i++) checksum += rankMatches(index, pick()).length;
  const cpuUs = ((performance.now() - t) * 1000) / queries;
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < queries; i++) checksum += rankMatches(index, pick()).length;
  const { profile } = await post<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
  const bytes = total(profile.head) / queries;
  process.stdout.write(
    `${n} incidents, ${queries} queries: ${cpuUs.toFixed(0)} µs per ranking, ${(bytes / 1024).toFixed(0)} KB allocated per ranking (${checksum} ranked)\n`,
  );
}
void main();
