import { IngestGate } from '../../src/modules/webhook-sources/ingest-gate';
import { AppError } from '../../src/core/errors';

const limits = { ratePerSource: 0, rateWindowSeconds: 10, concurrency: 1, queue: 3, queuePerSource: 2 };

/** A unit of work that finishes when told to. */
function held(): { work: () => Promise<string>; finish: (value: string) => void } {
  let finish!: (value: string) => void;
  const done = new Promise<string>((resolve) => (finish = resolve));
  return { work: () => done, finish };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('not refused');
}

describe('IngestGate', () => {
  it('runs up to its concurrency, queues in order, and refuses past the queue per source and overall', async () => {
    const gate = new IngestGate(limits);
    const order: string[] = [];
    const first = held();
    const running = gate.run('a', 1, () => first.work().then((v) => (order.push(v), v)));
    const a2 = gate.run('a', 1, async () => (order.push('a2'), 'a2'));
    const a3 = gate.run('a', 1, async () => (order.push('a3'), 'a3'));
    expect(gate.queued).toBe(2);
    const ownShare = await refusal(gate.run('a', 1, async () => 'a4'));
    expect([ownShare.code, ownShare.message]).toEqual(['RATE_LIMITED', expect.stringMatching(/this source/i)]);
    const b1 = gate.run('b', 1, async () => (order.push('b1'), 'b1'));
    expect(gate.queued).toBe(3);
    const overall = await refusal(gate.run('c', 1, async () => 'c1'));
    expect(overall.code).toBe('RATE_LIMITED');
    const wait = Number(overall.headers?.['Retry-After']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(30);
    first.finish('a1');
    expect(await Promise.all([running, a2, a3, b1])).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(order).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(gate.queued).toBe(0);
    // Free again: the next one runs at once.
    expect(await gate.run('c', 1, async () => 'c1')).toBe('c1');
  });

  it('takes a request larger than the queue when nothing waits, and frees its slot when the work fails', async () => {
    const gate = new IngestGate(limits);
    const first = held();
    const running = gate.run('a', 1, first.work);
    const big = gate.run('b', 50, async () => 'big');
    expect(gate.queued).toBe(50);
    first.finish('done');
    await running;
    expect(await big).toBe('big');
    await expect(gate.run('a', 1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run('a', 1, async () => 'after')).toBe('after');
  });

  it("limits each source to its rate in alerts, and a refused request spends nothing of the source's budget", async () => {
    const gate = new IngestGate({ ...limits, ratePerSource: 1 });
    await gate.spend('a', 6);
    const tooMany = await refusal(gate.spend('a', 5));
    expect(tooMany.code).toBe('RATE_LIMITED');
    await gate.spend('a', 4);
    const over = await refusal(gate.spend('a', 1));
    expect(Number(over.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
    // A notification larger than a whole window passes on an untouched window, and spends all of it.
    await gate.spend('b', 50);
    expect((await refusal(gate.spend('b', 1))).code).toBe('RATE_LIMITED');
  });
});
