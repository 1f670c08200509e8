import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The largest heap a process reaches while it promotes garbage over a live set, with applyHeapGrowingPercent(percent)
 * called first (from the built module, as dist/main.js calls it), in a fresh process each.
 */
function largestHeapMb(percent: number): number {
  const heap = join(__dirname, '..', '..', 'dist', 'config', 'heap.js');
  const script = `
    require(${JSON.stringify(heap)}).applyHeapGrowingPercent(${percent});
    const live = [];
    for (let i = 0; i < 200000; i++) live.push({ i, s: 'x' + i, a: [i] });
    const recent = [];
    let largest = 0;
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < 20000; i++) recent.push({ i, s: 'y' + i, a: [i, i] });
      if (recent.length > 60000) recent.splice(0, 20000);
      largest = Math.max(largest, process.memoryUsage().heapTotal);
    }
    process.stdout.write(String(largest / 2 ** 20) + ' ' + live.length);
  `;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).split(' ')[0]);
}

describe('applyHeapGrowingPercent', () => {
  it('keeps the heap closer to what is live than V8 does on its own', () => {
    const own = largestHeapMb(0);
    const twenty = largestHeapMb(20);
    expect(twenty).toBeLessThan(own * 0.85);
  });
});
