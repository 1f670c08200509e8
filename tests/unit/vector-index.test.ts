import { LexicalModel } from '../../src/ai/models/lexical-model';
import { weightedCosine } from '../../src/ai/models/sparse-vector';
import { seededRandom } from '../../tools/seeded-random';
import { scoreMatch } from '../../src/ai/similar/match-score';
import { rankMatches } from '../../src/ai/similar/rank';
import { IndexedIncident, VectorIndex } from '../../src/ai/similar/vector-index';

const model = new LexicalModel();
const HOUR = 3600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');
const entry = (id: string, title: string, startedAt = T0, serviceId: string | null = null): IndexedIncident => ({
  id,
  sparse: model.sparse(title),
  startedAt,
  serviceId,
});
const small = () => new VectorIndex(model, { m: 8, efConstruction: 50, ef: 32, initialCapacity: 4 });

describe('VectorIndex', () => {
  it('grows past its initial capacity (resizeIndex) and finds every point', () => {
    const index = small();
    for (let i = 0; i < 40; i++) index.upsert(entry(`i${i}`, `service number ${i} failing with error code e${i}`));
    expect(index.size).toBe(40);
    for (const i of [0, 17, 39])
      expect(index.nearest(model.sparse(`service number ${i} failing with error code e${i}`), 1)[0].id).toBe(`i${i}`);
  });

  it('updates in place, hides deleted points and reuses their slots', () => {
    const index = small();
    index.upsert(entry('a', 'git push failing'));
    index.upsert(entry('b', 'pages builds delayed'));
    index.upsert(entry('c', 'webhooks delayed'));
    index.upsert(entry('a', 'certificate expired'));
    expect(index.size).toBe(3);
    expect(index.nearest(model.sparse('certificate expired'), 1)[0].id).toBe('a');
    expect(index.remove('b')).toBe(true);
    expect(index.remove('b')).toBe(false);
    expect(index.has('b')).toBe(false);
    expect(index.nearest(model.sparse('pages builds delayed'), 3).map((e) => e.id)).not.toContain('b');
    // Deletes and re-adds many times over without growing the graph beyond what is live.
    for (let round = 0; round < 20; round++) {
      index.upsert(entry(`r${round}`, `round ${round} outage`));
      index.remove(`r${round}`);
    }
    index.upsert(entry('d', 'database failover'));
    expect(index.size).toBe(3);
    expect(index.nearest(model.sparse('database failover'), 1)[0].id).toBe('d');
    expect(
      index
        .all()
        .map((e) => e.id)
        .sort(),
    ).toEqual(['a', 'c', 'd']);
  });

  it('answers from entries loaded outside the graph (exact scan) and the same once the graph is filled a slice at a time', () => {
    const texts = Array.from(
      { length: 60 },
      (_, i) => `host web-${i} returns error e${i % 7} on checkout ${i % 3 ? 'payments' : 'search'}`,
    );
    const graphed = small();
    for (let i = 0; i < texts.length; i++) graphed.upsert(entry(`i${i}`, texts[i]));
    const loading = small();
    for (let i = 0; i < texts.length; i++) loading.load(entry(`i${i}`, texts[i]));
    loading.trim();
    expect(loading.pending).toBe(60);
    const query = { ...entry('q', 'web-7 returns error e0 on checkout payments'), id: 'i7' };
    const top = (index: VectorIndex) =>
      rankMatches(index, query, { candidates: 10, nearInTime: 0 })
        .slice(0, 5)
        .map((r) => r.entry.id);
    const expected = top(graphed);
    expect(top(loading)).toEqual(expected);
    // Changes while loaded: an update of a pending entry, a delete, a new incident (into the graph at once).
    loading.upsert(entry('i3', 'database failover in us-east'));
    loading.remove('i5');
    loading.upsert(entry('n1', 'web-7 returns error e0 on checkout payments again'));
    expect(loading.pending).toBe(58);
    let slices = 0;
    while (loading.fillGraph(0) > 0) slices++; // a deadline already past: one entry per slice
    expect(slices).toBe(57);
    expect(loading.pending).toBe(0);
    expect(loading.size).toBe(60);
    expect(loading.nearest(model.sparse('database failover in us-east'), 1)[0].id).toBe('i3');
    expect(loading.all().map((e) => e.id)).not.toContain('i5');
    graphed.upsert(entry('i3', 'database failover in us-east'));
    graphed.remove('i5');
    graphed.upsert(entry('n1', 'web-7 returns error e0 on checkout payments again'));
    expect(top(loading)).toEqual(top(graphed));
  });

  it('finds incidents that started near a time, nearest first', () => {
    const index = small();
    index.upsert(entry('far', 'x', T0 - 48 * HOUR));
    index.upsert(entry('near', 'y', T0 + HOUR));
    index.upsert(entry('nearer', 'z', T0 - 0.1 * HOUR));
    expect(
      index
        .startedNear(T0, 24 * HOUR, 10)
        .map((e) => e.id)
        .sort(),
    ).toEqual(['near', 'nearer']);
    expect(index.startedNear(T0, 24 * HOUR, 1).map((e) => e.id)).toEqual(['nearer']);
  });

  it('keeps the nearest in time of a crowded window, the lower slot of equally near ones, as a sort would', () => {
    const index = small();
    const random = seededRandom(11);
    // Whole hours, so many incidents are equally near; some outside the window.
    for (let i = 0; i < 400; i++)
      index.load(entry(`s${i}`, `incident ${i}`, T0 + Math.round((random() - 0.5) * 60) * HOUR));
    const slotOf = new Map(index.all().map((e, slot) => [e.id, slot]));
    for (const [at, max] of [
      [T0, 50],
      [T0 + 7 * HOUR, 1],
      [T0 - 29 * HOUR, 120],
      [T0, 1000],
    ] as const) {
      const expected = index
        .all()
        .map((e) => ({ id: e.id, d: Math.abs(e.startedAt - at), slot: slotOf.get(e.id)! }))
        .filter((h) => h.d <= 24 * HOUR)
        .sort((a, b) => a.d - b.d || a.slot - b.slot)
        .slice(0, max)
        .map((h) => h.id);
      expect(index.startedNear(at, 24 * HOUR, max).map((e) => e.id)).toEqual(expected);
    }
    expect(index.startedNear(T0, 24 * HOUR, 0)).toEqual([]);
  });

  it('keeps document frequencies in step with updates and deletes', () => {
    const index = small();
    index.upsert(entry('a', 'alpha beta'));
    index.upsert(entry('b', 'alpha gamma'));
    const alpha = model.sparse('alpha').idx[0];
    const gamma = model.sparse('gamma').idx[0];
    expect(index.idfWeights()[alpha]).toBeLessThan(index.idfWeights()[gamma]);
    index.upsert(entry('b', 'delta gamma'));
    index.remove('a');
    expect(index.idfWeights()[alpha]).toBeCloseTo(index.idfWeights()[model.sparse('zzz').idx[0]], 5);
  });
});

describe('scoring and ranking', () => {
  it('calls a concurrent incident a possible duplicate and an old look-alike similar', () => {
    expect(scoreMatch({ text: 0.1, sameService: false, deltaMs: 0.5 * HOUR }).relation).toBe('possible_duplicate');
    expect(scoreMatch({ text: 0.9, sameService: true, deltaMs: 30 * 24 * HOUR })).toMatchObject({
      relation: 'similar',
      score: 1,
    });
    expect(scoreMatch({ text: 0.4, sameService: false, deltaMs: 30 * 24 * HOUR }).score).toBeCloseTo(0.4);
    expect(scoreMatch({ text: 0.4, sameService: true, deltaMs: 30 * 24 * HOUR }).score).toBeCloseTo(0.5);
    // Time fades: the same pair a day and a half apart is no longer a possible duplicate.
    expect(scoreMatch({ text: 0.1, sameService: false, deltaMs: 36 * HOUR })).toMatchObject({
      relation: 'similar',
      duplicate: 0,
    });
    expect(scoreMatch({ text: 0, sameService: false, deltaMs: 30 * 24 * HOUR }).score).toBe(0);
    const close = scoreMatch({ text: 0.2, sameService: true, deltaMs: HOUR }).score;
    const later = scoreMatch({ text: 0.2, sameService: true, deltaMs: 6 * HOUR }).score;
    expect(close).toBeGreaterThan(later);
    for (const s of [0, 0.3, 1, 2])
      for (const d of [0, HOUR, 100 * HOUR]) {
        const { score } = scoreMatch({ text: s, sameService: true, deltaMs: d });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
  });

  it('scores the candidates it reads in the pool as their own vectors score', () => {
    const index = small();
    const random = seededRandom(5);
    const services = ['svc-a', 'svc-b', null];
    for (let i = 0; i < 120; i++) {
      const words = [
        'database',
        'failover',
        'latency',
        'checkout',
        'errors',
        'timeout',
        'dns',
        'certificate',
        'expired',
        'queue',
      ];
      const title = Array.from({ length: 4 }, () => words[Math.floor(random() * words.length)]).join(' ') + ` ${i % 7}`;
      index.upsert(entry(`i${i}`, title, T0 + Math.round((random() - 0.5) * 72) * HOUR, services[i % 3]));
    }
    index.upsert(entry('i7', 'database failover timeout again', T0 + 2 * HOUR, 'svc-b'));
    const idf = index.idfWeights();
    for (const id of ['i0', 'i7', 'i50', 'i119']) {
      const query = index.get(id)!;
      const ranked = rankMatches(index, query, { candidates: 20, nearInTime: 30 });
      const candidates = new Map(
        [...index.nearest(query.sparse, 21), ...index.startedNear(query.startedAt, 24 * HOUR, 30)].map((e) => [
          e.id,
          e,
        ]),
      );
      candidates.delete(id);
      expect(ranked.map((r) => r.entry.id).sort()).toEqual([...candidates.keys()].sort());
      for (const r of ranked) {
        const own = candidates.get(r.entry.id)!;
        expect(r.entry).toEqual({ id: own.id, startedAt: own.startedAt, serviceId: own.serviceId });
        expect(r.text).toBe(weightedCosine(query.sparse, own.sparse, idf));
        expect(r.match).toEqual(
          scoreMatch({
            text: r.text,
            sameService: query.serviceId !== null && query.serviceId === own.serviceId,
            deltaMs: own.startedAt - query.startedAt,
          }),
        );
      }
    }
  });

  it('ranks best first, never the query, and adds concurrent incidents the text would miss', () => {
    const index = small();
    index.upsert(entry('q', 'git push failing with 500 errors', T0));
    index.upsert(entry('twin', 'git push failing with 500 errors for some users', T0 - 30 * 24 * HOUR));
    index.upsert(entry('same-time', 'elevated api latency', T0 + 0.2 * HOUR));
    for (let i = 0; i < 30; i++)
      index.upsert(entry(`noise${i}`, `unrelated topic ${i} about billing exports`, T0 - (i + 40) * 24 * HOUR));
    const ranked = rankMatches(index, index.get('q')!, { candidates: 5, nearInTime: 10 });
    expect(ranked.map((r) => r.entry.id)).not.toContain('q');
    expect(
      ranked
        .slice(0, 2)
        .map((r) => r.entry.id)
        .sort(),
    ).toEqual(['same-time', 'twin']);
    expect(ranked.find((r) => r.entry.id === 'same-time')!.match.relation).toBe('possible_duplicate');
    const scores = ranked.map((r) => r.match.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});
