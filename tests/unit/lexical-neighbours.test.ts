import { LexicalNeighbours, Neighbour } from '../../src/ai/classify/lexical-neighbours';

/** A seeded generator, so that the fixtures are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const WORDS = [
  'ledger',
  'checkout',
  'search',
  'latency',
  'outage',
  'errors',
  'slow',
  'timeout',
  'replica',
  'lag',
  'dns',
  'typo',
];

/** Documents from a small vocabulary, many of them identical: ties of score everywhere. */
function documents(n: number, seed: number): Array<{ title: string }> {
  const next = random(seed);
  return Array.from({ length: n }, () => ({
    title: Array.from({ length: 1 + Math.floor(next() * 4) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' '),
  }));
}

const bestFirst = (a: Neighbour, b: Neighbour) => b.score - a.score || b.index - a.index;

describe('the k nearest documents', () => {
  const docs = documents(400, 3);
  const index = new LexicalNeighbours(docs);

  it('are the same from an index that has answered other queries (with k 0 and exclusions) as from a new one', () => {
    const used = new LexicalNeighbours(docs);
    const next = random(5);
    for (let q = 0; q < 30; q++) used.query(docs[Math.floor(next() * docs.length)], q % 3, q % 2 ? q : undefined);
    for (let q = 0; q < 20; q++) {
      const query = docs[Math.floor(next() * docs.length)];
      expect(used.query(query, 20, q)).toEqual(new LexicalNeighbours(docs).query(query, 20, q));
    }
  });

  it('are the first k of every document found, best first and ties by the later document', () => {
    const next = random(11);
    for (let q = 0; q < 50; q++) {
      const query = docs[Math.floor(next() * docs.length)];
      const exclude = q % 2 ? Math.floor(next() * docs.length) : undefined;
      const all = index.query(query, docs.length, exclude);
      expect(all.length).toBeGreaterThan(20);
      expect(new Set(all.map((n) => n.index)).size).toBe(all.length);
      expect(all.some((n) => n.index === exclude)).toBe(false);
      expect(all).toEqual([...all].sort(bestFirst));
      expect(all.filter((n, i) => i > 0 && n.score === all[i - 1].score).length).toBeGreaterThan(0);
      for (const k of [0, 1, 5, 20]) expect(index.query(query, k, exclude)).toEqual(all.slice(0, k));
    }
  });

  it('are the same from the index built elsewhere and taken as parts', () => {
    const copy = new LexicalNeighbours(index.parts);
    for (const query of documents(20, 5)) expect(copy.query(query, 10)).toEqual(index.query(query, 10));
  });
});
