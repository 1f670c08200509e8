import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { children, percentile, startArgus } from './lib.js';

/**
 * `npm run bench:hostile`: how much a burst of hostile GraphQL documents from an anonymous client moves `/healthz`.
 * Argus (dist-bench's main.js, production mode, rate limits off so every document reaches the server's guards) runs
 * in its own process; this one first measures `/healthz` alone, then again while CONCURRENCY clients send hostile
 * documents (the shapes that once cost GraphQL validation up to a second of CPU each: a huge second operation
 * that `operationName` does not select, an operation name that selects nothing, an unused fragment, thousands of
 * repeated fields). Prints the latencies and their ratio. Options: --seconds N (burst length, default 5),
 * --concurrency N (default 20). DATABASE_URL: a database Argus may migrate (default argus_bench_hostile).
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = option('seconds', 5);
const CONCURRENCY = option('concurrency', 20);
const PROBE_EVERY_MS = 20;

const repeated = (n: number) => 'me { id } '.repeat(n);
const HOSTILE: Array<Record<string, unknown>> = [
  { query: `query Small { __typename } query Big { ${repeated(1200)} }`, operationName: 'Small' },
  { query: `query Small { __typename } query Big { ${repeated(1200)} }`, operationName: 'Nothing' },
  { query: `{ __typename } fragment Unused on Query { ${repeated(1200)} }` },
  { query: `{ ${repeated(1200)} }` },
  { query: `{ ${'incidents { items { service { id } } } '.repeat(400)} }` },
];

async function probe(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/healthz`);
  await res.text();
  return performance.now() - started;
}

/** /healthz probed every PROBE_EVERY_MS until `until` resolves. */
async function probeWhile(url: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    latencies.push(await probe(url));
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  return latencies;
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    probes: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1]),
  };
}
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const argus = await startArgus({
    NODE_ENV: 'production',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/argus_bench_hostile',
    ARGUS_JWT_SECRET: 'hostile-burst-secret-hostile-burst-secret-0123',
    LOG_LEVEL: 'warn',
    ARGUS_DEMO_DATA: 'false',
    ARGUS_RATE_LIMIT_PER_USER: '0',
    ARGUS_RATE_LIMIT_PER_IP: '0',
    ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
    ARGUS_WEBHOOK_POLL_MS: '0',
    ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS: '0',
  });
  try {
    for (let i = 0; i < 50; i++) await probe(argus.url); // warm-up
    const idle = summary(await probeWhile(argus.url, new Promise((r) => setTimeout(r, SECONDS * 1000))));
    const statuses = new Map<number, number>();
    let serverMs = 0;
    const stopAt = performance.now() + SECONDS * 1000;
    const client = async (n: number) => {
      for (let i = n; performance.now() < stopAt; i++) {
        const started = performance.now();
        const res = await fetch(`${argus.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(HOSTILE[i % HOSTILE.length]),
        });
        await res.text();
        serverMs += performance.now() - started;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    const burst = Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => client(n)));
    const during = summary(await probeWhile(argus.url, burst));
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
    const result = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      burst: {
        seconds: SECONDS,
        concurrency: CONCURRENCY,
        documents: sent,
        statuses: Object.fromEntries(statuses),
        meanRoundTripMs: round(serverMs / Math.max(1, sent)),
      },
      healthzIdleMs: idle,
      healthzDuringBurstMs: during,
      ratio: { p50: round(during.p50 / idle.p50), p99: round(during.p99 / idle.p99) },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await argus.stop();
  }
}

main().catch((error) => {
  console.error(error);
  for (const child of children) child.kill();
  process.exit(1);
});
