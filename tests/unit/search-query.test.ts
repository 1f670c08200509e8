import { parseSearchQuery, QueryContext } from '../../src/ai/search/search-query';
import { BM25_ONLY, SEARCH_RANKING, queryTerms, rankByText, synonymsOf } from '../../src/ai/search/text-rank';

// A Saturday.
const NOW = new Date('2026-11-28T10:00:00Z');
const context: QueryContext = {
  now: NOW,
  services: [
    { id: 'svc-payments', name: 'Payments' },
    { id: 'svc-payments-api', name: 'Payments API' },
    { id: 'svc-search', name: 'search-indexer' },
  ],
  teams: [{ id: 'team-sre', name: 'SRE' }],
  userId: 'user-me',
};

const parse = (q: string) => parseSearchQuery(q, context);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('reading a plain-English query', () => {
  it("reads the contract's example", () => {
    const understood = parse('open P1 payments incidents since last monday');
    expect(understood).toMatchObject({
      severities: ['P1'],
      statuses: ['open'],
      serviceIds: ['svc-payments'],
      teamIds: [],
      assigneeId: null,
      unassigned: false,
      text: '',
    });
    expect(iso(understood.createdAfter)).toBe('2026-11-23T00:00:00.000Z');
    expect(understood.createdBefore).toBeNull();
  });

  it('reads severities in their usual spellings, and leaves "high" and "minor" to the text', () => {
    expect(parse('sev1 or SEV-2 or severity 3 or p4').severities).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(parse('critical database problems')).toMatchObject({ severities: ['P1'], text: 'database problems' });
    expect(parse('high latency and minor glitches')).toMatchObject({
      severities: [],
      text: 'high latency minor glitches',
    });
  });

  it('reads statuses, and "active" as every status before resolved', () => {
    expect(parse('acknowledged or mitigated').statuses).toEqual(['acknowledged', 'mitigated']);
    expect(parse('resolved and closed').statuses).toEqual(['resolved', 'closed']);
    expect(parse('active incidents').statuses).toEqual(['open', 'acknowledged', 'investigating', 'mitigated']);
  });

  it('reads service and team names, the longest name first, with or without the word "service"', () => {
    expect(parse('payments api errors').serviceIds).toEqual(['svc-payments-api']);
    expect(parse('payments service timeouts')).toMatchObject({ serviceIds: ['svc-payments'], text: 'timeouts' });
    expect(parse('search indexer lag for the sre team')).toMatchObject({
      serviceIds: ['svc-search'],
      teamIds: ['team-sre'],
      text: 'lag',
    });
  });

  it('reads "assigned to me" and "unassigned"', () => {
    expect(parse('assigned to me')).toMatchObject({ assigneeId: 'user-me', unassigned: false, text: '' });
    expect(parse('unassigned P2')).toMatchObject({ assigneeId: null, unassigned: true, severities: ['P2'] });
  });

  it('reads dates against the clock: days, months, rolling windows, bounds', () => {
    const cases: Array<[string, string | null, string | null]> = [
      ['yesterday', '2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z'],
      ['today', '2026-11-28T00:00:00.000Z', '2026-11-29T00:00:00.000Z'],
      ['in March', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ['since March', '2026-03-01T00:00:00.000Z', null],
      ['in December', '2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['before 2026-10-01', null, '2026-10-01T00:00:00.000Z'],
      ['after 2026-10-01', '2026-10-02T00:00:00.000Z', null],
      ['between March 3 and March 10', '2026-03-03T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
      ['in 2025', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['last 24 hours', '2026-11-27T10:00:00.000Z', null],
      ['past week', '2026-11-21T10:00:00.000Z', null],
      ['this week', '2026-11-23T00:00:00.000Z', null],
      ['this month', '2026-11-01T00:00:00.000Z', null],
      ['since 3 days ago', '2026-11-25T00:00:00.000Z', null],
    ];
    for (const [q, after, before] of cases) {
      const understood = parse(`checkout errors ${q}`);
      expect({
        q,
        after: iso(understood.createdAfter),
        before: iso(understood.createdBefore),
        text: understood.text,
      }).toEqual({ q, after, before, text: 'checkout errors' });
    }
  });
});

describe('ranking by the remaining text', () => {
  const candidates = [
    { id: 'newest', title: 'Webhook deliveries delayed', description: null },
    { id: 'title-match', title: 'Checkout failures in EU', description: 'Card payments fail' },
    { id: 'description-match', title: 'Elevated errors', description: 'Some checkout requests failed' },
  ];

  it('keeps only what matches, title matches first, word forms folded', () => {
    expect(rankByText(candidates, 'checkout failure').map((r) => r.id)).toEqual(['title-match', 'description-match']);
  });

  it('gives every candidate the same score, in the given order, when no text is left', () => {
    expect(rankByText(candidates, '')).toEqual([
      { id: 'newest', score: 1 },
      { id: 'title-match', score: 1 },
      { id: 'description-match', score: 1 },
    ]);
  });
});

describe('the curated lexicon', () => {
  const candidates = [
    { id: 'database', title: 'Elevated latency on the primary database', description: 'Queries take seconds' },
    { id: 'db-words', title: 'DB slow', description: 'db queries slow' },
    { id: 'tls', title: 'Certificate expired', description: 'Browsers warn on the status page' },
  ];

  it('expands a query word with its synonyms at a lower weight, never the other way round', () => {
    expect(synonymsOf('db')).toEqual(expect.arrayContaining(['database', 'postgr']));
    const terms = queryTerms('db slow', SEARCH_RANKING.expansion);
    expect(terms.get('db')).toBe(1);
    expect(terms.get('database')).toBe(SEARCH_RANKING.expansion);
    expect(terms.get('latency')).toBe(SEARCH_RANKING.expansion);
    expect(terms.has('certificate')).toBe(false);
  });

  it('finds incidents that use other words for the same thing, below those that use the words themselves', () => {
    expect(rankByText(candidates, 'db slow', BM25_ONLY).map((r) => r.id)).toEqual(['db-words']);
    expect(rankByText(candidates, 'db slow', SEARCH_RANKING).map((r) => r.id)).toEqual(['db-words', 'database']);
  });
});
