import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Preloaded into the measured server when BENCH_HEAP_SPACES is set (`--require`): on SIGUSR2 it appends one JSON
 * line to that file, with the process's memoryUsage and V8's heap spaces (MB), so that the bench can tell which
 * space holds what a stage left behind.
 */
const file = process.env.BENCH_HEAP_SPACES;
if (file) {
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  process.on('SIGUSR2', () => {
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { size: mb(s.space_size), used: mb(s.space_used_size) }]));
    const line = { rss: mb(usage.rss), heapTotal: mb(usage.heapTotal), heapUsed: mb(usage.heapUsed), external: mb(usage.external), arrayBuffers: mb(usage.arrayBuffers), spaces };
    appendFileSync(file, JSON.stringify(line) + '\n');
  });
}
