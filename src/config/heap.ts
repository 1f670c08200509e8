import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what its last major collection kept before it collects again.
 * V8's own factor (up to ×4 for a small heap) let a burst of requests leave 150–250 MB of promoted garbage in a server
 * whose live heap is ≈ 80 MB; 20% keeps the heap near what is live, for no measured loss of throughput
 * (docs/PERFORMANCE.md, "V8's heap growth"). The flag is read at every collection, so setting it at start is enough.
 */
export function applyHeapGrowingPercent(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
