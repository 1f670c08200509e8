import { appendFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Preloaded into the measured server when BENCH_HEAP_SPACES is set (`--require`): on SIGUSR2 it appends one JSON
 * line to that file, with the process's memoryUsage, V8's heap spaces (MB) and the garbage collections since the
 * last line; on SIGWINCH the same after a full collection (how much of the heap was garbage). So the bench can tell
 * which space holds what a stage left behind.
 */
const file = process.env.BENCH_HEAP_SPACES;
if (file) {
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const gcs = { minor: 0, major: 0, ms: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs.minor++;
      else gcs.major++;
      gcs.ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const report = (collected: boolean) => {
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name, { size: mb(s.space_size), used: mb(s.space_used_size) }]),
    );
    const line = {
      collected,
      rss: mb(usage.rss),
      heapTotal: mb(usage.heapTotal),
      heapUsed: mb(usage.heapUsed),
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
      spaces,
      gcs: { ...gcs, ms: Math.round(gcs.ms) },
    };
    appendFileSync(file, JSON.stringify(line) + '\n');
    Object.assign(gcs, { minor: 0, major: 0, ms: 0 });
  };
  process.on('SIGUSR2', () => report(false));
  process.on('SIGWINCH', () => {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    report(true);
  });
}
