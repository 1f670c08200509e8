import { TestApp, startTestApp } from '../support/app';
import { errorCode, gqlRaw } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';

let t: TestApp;
let org: SeedOrg;
let statements: string[] = [];
beforeAll(async () => {
  t = await startTestApp({}, { onQuery: (sql) => statements.push(sql) });
  org = await seedOrg(t.url);
});
afterAll(() => t.close());

/** The SQL the application runs while `action` does. */
async function sqlDuring(action: () => Promise<unknown>): Promise<string[]> {
  statements = [];
  await action();
  return statements.filter((s) => !/rate_limits/.test(s));
}

/** `incidents > items > problem > incidents > problem …` down to an id at `depth` levels. */
const nested = (depth: number) => {
  const wrappers = Array.from({ length: depth - 3 }, (_, i) => (i % 2 === 0 ? 'problem' : 'incidents'));
  return `{ incidents(limit: 1) { items { ${wrappers.map((w) => `${w} { `).join('')}id${' }'.repeat(wrappers.length)} } } }`;
};

describe('GraphQL operation limits', () => {
  it('refuses an operation nested deeper than the limit before any SQL runs, naming the limit', async () => {
    let res: Awaited<ReturnType<typeof gqlRaw>> | undefined;
    const sql = await sqlDuring(async () => {
      res = await gqlRaw(t.url, { query: nested(11) }, org.owner.token);
    });
    expect(res!.status).toBe(400);
    expect(res!.errors![0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'query' }] });
    expect(res!.errors![0].message).toMatch(/11 levels deep, at most 10/);
    expect(sql).toEqual([]);
  });

  it('runs an operation within the depth limit', async () => {
    let res: Awaited<ReturnType<typeof gqlRaw>> | undefined;
    const sql = await sqlDuring(async () => {
      res = await gqlRaw(t.url, { query: nested(10) }, org.owner.token);
    });
    expect(res!.errors).toBeUndefined();
    expect(sql.length).toBeGreaterThan(0);
  });

  it('allows 15 aliases and refuses 16', async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const ok = await gqlRaw(t.url, { query: aliased(15) }, org.owner.token);
    expect(ok.errors).toBeUndefined();
    expect(Object.keys(ok.data)).toHaveLength(15);
    const refused = await gqlRaw(t.url, { query: aliased(16) }, org.owner.token);
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe('VALIDATION_FAILED');
    expect(refused.errors![0].message).toMatch(/16 aliases, at most 15/);
  });

  it('multiplies page sizes down the tree, reading them from variables too', async () => {
    // 1 list + n incidents + n problems + 10n incidents + 10n problems + 100n incidents
    const query =
      'query($n: Int) { incidents(limit: $n) { items { problem { incidents { problem { incidents { id } } } } } } }';
    const small = await gqlRaw(t.url, { query, variables: { n: 5 } }, org.owner.token);
    expect(small.errors).toBeUndefined();
    let refused: Awaited<ReturnType<typeof gqlRaw>> | undefined;
    const sql = await sqlDuring(async () => {
      refused = await gqlRaw(t.url, { query, variables: { n: 100 } }, org.owner.token);
    });
    expect(refused!.status).toBe(400);
    expect(errorCode(refused!)).toBe('VALIDATION_FAILED');
    expect(refused!.errors![0].message).toMatch(/could return 12201 records .*at most 10000/);
    expect(sql).toEqual([]);
  });

  it('refuses the same field selected over and over (quadratic validation) and documents over the token limit', async () => {
    const repeated = await gqlRaw(t.url, { query: `{ ${'me { id } '.repeat(21)}}` }, org.owner.token);
    expect(repeated.status).toBe(400);
    expect(repeated.errors![0].message).toMatch(/same field 21 times over/);
    // Repeats multiply down a path: 2 × 4 is fine, 5 × 5 is the kind of document GraphQL's validation spends seconds
    // on.
    const fine = `{ incidents { items { ${'service { id } '.repeat(4)}} } incidents { total } }`;
    expect((await gqlRaw(t.url, { query: fine }, org.owner.token)).errors).toBeUndefined();
    const squared = `{ ${`incidents { items { ${'service { id } '.repeat(5)}} } `.repeat(5)}}`;
    const refusedSquared = await gqlRaw(t.url, { query: squared }, org.owner.token);
    expect(refusedSquared.status).toBe(400);
    expect(refusedSquared.errors![0].message).toMatch(/same field 25 times over/);
    const huge = await gqlRaw(t.url, { query: `{ me { ${'id '.repeat(6000)}} }` }, org.owner.token);
    expect(huge.status).toBe(400);
    expect(errorCode(huge)).toBe('VALIDATION_FAILED');
    expect(huge.errors![0].message).toMatch(/more than 5000 tokens/);
  });

  it('refuses a fragment cycle and a fragment bomb without hanging', async () => {
    const cycle = await gqlRaw(
      t.url,
      { query: '{ me { ...A } } fragment A on User { id ...B } fragment B on User { name ...A }' },
      org.owner.token,
    );
    expect(errorCode(cycle)).toBe('VALIDATION_FAILED');
    const selfNesting = await gqlRaw(
      t.url,
      { query: '{ incident(id: "INC-1") { ...A } } fragment A on Incident { problem { incidents { ...A } } }' },
      org.owner.token,
    );
    expect(errorCode(selfNesting)).toBe('VALIDATION_FAILED');
    const levels = Array.from({ length: 18 }, (_, i) => `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`).join(
      ' ',
    );
    const started = Date.now();
    const bomb = await gqlRaw(
      t.url,
      { query: `{ me { ...F0 } } ${levels} fragment F18 on User { id }` },
      org.owner.token,
    );
    expect(errorCode(bomb)).toBe('VALIDATION_FAILED');
    expect(bomb.errors![0].message).toMatch(/too many selections/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('bounds the whole document before validation, whichever operation operationName selects (anonymous callers too)', async () => {
    const repeated = `me { ${'id '.repeat(25)}}`;
    const documents = [
      { query: `query Small { __typename } query Big { ${repeated} }`, operationName: 'Small' },
      { query: `query Small { __typename } query Big { ${repeated} }`, operationName: 'Nothing' },
      { query: `{ __typename } fragment Unused on Query { ${repeated} }` },
      {
        query: `query Small { __typename } query Big { ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
        operationName: 'Small',
      },
    ];
    for (const payload of documents) {
      for (const token of [undefined, org.owner.token]) {
        const res = await gqlRaw(t.url, payload, token);
        expect(res.status).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
        expect(res.errors![0].message).toMatch(/too large/);
      }
    }
  });

  it('executes no persisted query: a hash-only request is refused and runs nothing', async () => {
    const query = '{ me { id } }';
    const { createHash } = await import('node:crypto');
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    // Registration (query and hash) is answered as a plain query, under the limits; the hash alone never executes.
    await gqlRaw(t.url, { query, extensions }, org.owner.token);
    const sql = await sqlDuring(async () => {
      // Anonymous, so that no token check reads the users table.
      const res = await gqlRaw(t.url, { extensions });
      // Apollo answers APQ errors with 200 so that clients fall back to sending the document.
      expect(res.status).toBeLessThan(500);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(res.errors![0].message).toMatch(/PersistedQueryNotSupported/);
      expect(res.data ?? null).toBeNull();
    });
    expect(sql).toEqual([]);
  });

  it('refuses batched (array) requests', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.owner.token}` },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { name } }' }]),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(body.data).toBeUndefined();
  });

  it('keeps introspection and "did you mean" hints outside production', async () => {
    const schema = await gqlRaw(t.url, { query: '{ __schema { queryType { name } } }' });
    expect(schema.data.__schema.queryType.name).toBe('Query');
    const typo = await gqlRaw(t.url, { query: '{ me { nam } }' }, org.owner.token);
    expect(typo.errors![0].message).toMatch(/Did you mean "name"\?/);
  });
});

describe('production mode', () => {
  let prod: TestApp;
  let prodWithPlayground: TestApp;
  beforeAll(async () => {
    prod = await startTestApp({ NODE_ENV: 'production' });
    prodWithPlayground = await startTestApp({ NODE_ENV: 'production', ARGUS_GRAPHQL_PLAYGROUND: 'true' });
  });
  afterAll(async () => {
    await prod.close();
    await prodWithPlayground.close();
  });

  it('turns introspection off', async () => {
    const res = await gqlRaw(prod.url, { query: '{ __schema { types { name } } }' }, org.owner.token);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
    expect(res.data).toBeUndefined();
    const type = await gqlRaw(prod.url, { query: '{ __type(name: "Incident") { fields { name } } }' }, org.owner.token);
    expect(errorCode(type)).toBe('VALIDATION_FAILED');
  });

  it('gives no "did you mean" hints in errors', async () => {
    const typo = await gqlRaw(prod.url, { query: '{ me { nam } }' }, org.owner.token);
    expect(errorCode(typo)).toBe('VALIDATION_FAILED');
    expect(typo.errors![0].message).toContain('Cannot query field "nam"');
    expect(typo.errors![0].message).not.toMatch(/did you mean/i);
    const badArg = await gqlRaw(prod.url, { query: '{ incidents(limitt: 2) { total } }' }, org.owner.token);
    expect(badArg.errors![0].message).not.toMatch(/did you mean/i);
  });

  it('serves no playground unless it is turned on', async () => {
    const html = { headers: { accept: 'text/html' } };
    const off = await fetch(`${prod.url}/graphql`, html);
    expect(off.headers.get('content-type')).not.toContain('text/html');
    expect(off.status).toBe(400);
    const on = await fetch(`${prodWithPlayground.url}/graphql`, html);
    expect(on.status).toBe(200);
    expect(on.headers.get('content-type')).toContain('text/html');
  });

  it('keeps CSRF prevention: a simple cross-site request without a token is refused', async () => {
    const get = await fetch(`${prod.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(get.status).toBe(400);
    const form = await fetch(`${prod.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(form.status).toBe(400);
    const withToken = await fetch(`${prod.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${org.owner.token}` },
    });
    expect(withToken.status).toBe(200);
  });
});
