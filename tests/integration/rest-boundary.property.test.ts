import fc from 'fast-check';
import {
  GraphQLInputObjectType,
  GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';
import { getSchema } from '../../src/app/schema';
import { toSnake } from '../../src/core/casing';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { ENTITY_SPECS, EntitySpec } from '../support/entities';
import { SeedOrg, seedOrg } from '../support/seed';

/**
 * Property-based tests of the REST boundary: whatever JSON body, query string or headers a client sends, the answer is
 * never a 500, and a refused request writes nothing at all. Runs are bounded in number and in time.
 */
let t: TestApp;
let org: SeedOrg;
let organizationId: string;
const records = new Map<string, { id: string }>();
let tables: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
  const connection = t.orm.em.getConnection();
  organizationId = (
    await connection.execute<Array<{ organization_id: string }>>('select organization_id from users where id = ?', [
      org.owner.id,
    ])
  )[0].organization_id;
  tables = (
    await connection.execute<Array<{ table_name: string }>>(
      "select table_name from information_schema.columns where column_name = 'organization_id' and table_schema = current_schema() order by 1",
    )
  )
    .map((r) => r.table_name)
    // A refused request is recorded in the audit log by design (audit-log.test.ts); no record of the entity may change.
    .filter((table) => table !== 'audit_events');
  for (const spec of ENTITY_SPECS) records.set(spec.name, await spec.make(org));
});
afterAll(() => t.close());

/**
 * Outbox rows by what a request writes (which delivery of which event): their delivery state is the delivery worker's,
 * and a worker of another test on the shared test database may attempt this organization's deliveries at any time.
 */
const WRITTEN_BY_REQUESTS: Record<string, string> = {
  webhook_deliveries: '(r.id, r.alert_rule_id, r.webhook_id, r.event_type, r.payload, r.created_at)::text',
};

/** Every row of the organization, hashed per table (join tables through their owners), to see any write at all. */
async function snapshot(): Promise<Record<string, string>> {
  const parts = [
    ...tables.map((table) => {
      const row = WRITTEN_BY_REQUESTS[table] ?? 'r::text';
      return `select '${table}' as name, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as digest from "${table}" r where organization_id = ?`;
    }),
    `select 'team_members', md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from team_members r join teams x on x.id = r.team_id where x.organization_id = ?`,
    `select 'change_request_assets', md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from change_request_assets r join change_requests x on x.id = r.change_request_id where x.organization_id = ?`,
  ];
  const rows = await t.orm.em.getConnection().execute<Array<{ name: string; digest: string }>>(
    parts.join(' union all '),
    parts.map(() => organizationId),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** Bounded twice: a number of runs, and a time after which a property stops early (and passes, if nothing failed). */
const RUNS = { numRuns: 80, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false };

/** Plausible values for a field of an input type: right and wrong types, edge cases, nested shapes. */
function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const named = getNamedType(type);
  const wrong = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 30 }),
    fc.constant(''),
    fc.constant({}),
    fc.constant([]),
  );
  let right: fc.Arbitrary<unknown>;
  if (isEnumType(named)) right = fc.constantFrom(...named.getValues().map((v) => v.name), 'P9', 'OPEN');
  else if (isInputObjectType(named)) right = depth > 2 ? fc.constant({}) : inputObject(named, depth + 1);
  else {
    switch (named.name) {
      case 'UUID':
      case 'IdOrKey':
        right = fc.oneof(
          fc.uuid(),
          fc.constantFrom(...[...records.values()].map((r) => r.id)),
          fc.constantFrom('INC-1', 'PRB-999', 'CHG-0', 'not-a-uuid'),
        );
        break;
      case 'DateTimeISO':
        right = fc.oneof(
          fc
            .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          fc.constantFrom('2026-13-45T00:00:00Z', 'yesterday', '0001-01-01T00:00:00Z'),
        );
        break;
      case 'Int':
        right = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1.5));
        break;
      case 'Float':
        right = fc.double({ noNaN: true });
        break;
      case 'Boolean':
        right = fc.boolean();
        break;
      case 'JSONObject':
        right = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
        break;
      default:
        right = fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ minLength: 200, maxLength: 400 }),
          fc.constantFrom(
            'https://203.0.113.10/x',
            'Europe/Berlin',
            '09:00',
            'incident.created',
            "'; drop table incidents; --",
          ),
        );
    }
  }
  const element = fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: wrong });
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  return isListType(unwrapped) ? fc.oneof(fc.array(element, { maxLength: 3 }), wrong) : element;
}

/** An object of an input type's fields (snake_case, as REST takes them), some left out, sometimes an unknown one. */
function inputObject(type: GraphQLInputObjectType, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.values(type.getFields());
  const known = fc.record(Object.fromEntries(fields.map((f) => [toSnake(f.name), valueFor(f.type, depth)])), {
    requiredKeys: [],
  });
  return fc
    .tuple(
      known,
      fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })), { freq: 5 }),
    )
    .map(([body, extra]) => (extra ? { ...body, [extra[0]]: extra[1] } : body));
}

async function inputOf(spec: EntitySpec, kind: 'create' | 'update'): Promise<GraphQLInputObjectType | undefined> {
  const schema = await getSchema();
  const name = `${kind}${spec.single[0].toUpperCase()}${spec.single.slice(1)}`;
  const field = schema.getMutationType()!.getFields()[name];
  const input = field?.args.find((a) => a.name === 'input');
  return input ? (getNamedType(input.type) as GraphQLInputObjectType) : undefined;
}

describe('random JSON bodies', () => {
  it('never get a 500, and a refused create or update writes nothing', async () => {
    const targets: Array<{ spec: EntitySpec; method: 'POST' | 'PATCH'; input: GraphQLInputObjectType }> = [];
    for (const spec of ENTITY_SPECS) {
      const create = await inputOf(spec, 'create');
      const update = await inputOf(spec, 'update');
      if (create) targets.push({ spec, method: 'POST', input: create });
      if (update) targets.push({ spec, method: 'PATCH', input: update });
    }
    const request = fc
      .constantFrom(...targets)
      .chain((target) =>
        fc.tuple(
          fc.constant(target),
          fc.oneof(
            { weight: 3, arbitrary: inputObject(target.input) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
          ),
        ),
      );
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async ([{ spec, method }, body]) => {
        const path = method === 'POST' ? spec.path : `${spec.path}/${records.get(spec.name)!.id}`;
        const before = await snapshot();
        const res = await rest(t.url, method, path, { token: org.owner.token, body });
        seen.add(res.status);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body.error.code).toMatch(/^[A-Z_]+$/);
          expect(await snapshot()).toEqual(before);
        }
      }),
      RUNS,
    );
    expect(seen.has(400)).toBe(true);
  });

  it('never get a 500 from a body that is not JSON or not an object', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENTITY_SPECS),
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (spec, raw) => {
          const before = await snapshot();
          const res = await rest(t.url, 'POST', spec.path, { token: org.owner.token, raw });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(await snapshot()).toEqual(before);
        },
      ),
      { ...RUNS, numRuns: 40 },
    );
  });
});

describe('random query strings', () => {
  it('never get a 500 on any list, with known filters, unknown keys and odd values', async () => {
    const schema = await getSchema();
    const paramsOf = (spec: EntitySpec) => {
      const field = schema.getQueryType()!.getFields()[spec.plural];
      const filter = getNamedType(field.args.find((a) => a.name === 'filter')!.type) as GraphQLInputObjectType;
      return [
        ...field.args.filter((a) => a.name !== 'filter').map((a) => a.name),
        ...Object.keys(filter.getFields()),
      ].map(toSnake);
    };
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.uuid(),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.constantFrom(
        '',
        ',',
        'P1,P2',
        'open',
        '-created_at',
        'true',
        '2026-01-01T00:00:00Z',
        '%',
        '%25',
        '\u0000',
        'INC-1',
        'eyJzIjoiLWNyZWF0ZWRBdCJ9',
      ),
    );
    const query = fc
      .constantFrom(...ENTITY_SPECS)
      .chain((spec) =>
        fc.tuple(
          fc.constant(spec),
          fc.array(
            fc.tuple(
              fc.oneof(
                { weight: 4, arbitrary: fc.constantFrom(...paramsOf(spec)) },
                { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) },
              ),
              value,
            ),
            { maxLength: 4 },
          ),
        ),
      );
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(query, async ([spec, pairs]) => {
        const qs = new URLSearchParams(pairs).toString();
        const res = await rest(t.url, 'GET', `${spec.path}?${qs}`, { token: org.owner.token });
        seen.add(res.status);
        expect([200, 400]).toContain(res.status);
      }),
      { ...RUNS, numRuns: 100 },
    );
    expect([...seen].sort()).toEqual([200, 400]);
  });
});

describe('random headers', () => {
  it('never get a 500, whatever the content type, encoding, authorization or forwarding headers say', async () => {
    const token = fc.oneof(
      fc.constant(`Bearer ${org.owner.token}`),
      fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
      fc.string({ maxLength: 40 }),
      fc.constant('Basic Zm9vOmJhcg=='),
    );
    const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
    const headers = fc.record(
      {
        authorization: token,
        'content-type': fc.oneof(
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/graphql',
          ),
          headerValue,
        ),
        'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x-unknown'),
        accept: fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'), headerValue),
        'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerValue),
        'x-request-id': headerValue,
      },
      { requiredKeys: [] },
    );
    const target = fc
      .constantFrom(...ENTITY_SPECS)
      .chain((spec) => fc.tuple(fc.constant(spec), fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE')));
    await fc.assert(
      fc.asyncProperty(target, headers, async ([spec, method], sent) => {
        const path = method === 'GET' || method === 'POST' ? spec.path : `${spec.path}/${records.get(spec.name)!.id}`;
        const before = await snapshot();
        const res = await fetch(`${t.url}/api/v1${path}`, {
          method,
          headers: sent,
          body: method === 'GET' ? undefined : JSON.stringify(spec.update),
        });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect((await res.json()).error.code).toMatch(/^[A-Z_]+$/);
          if (method !== 'GET') expect(await snapshot()).toEqual(before);
        } else if (method === 'DELETE' && res.status === 204) {
          records.set(spec.name, await spec.make(org));
        }
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});

describe('the other HTTP entry points', () => {
  it('/graphql never answers 500 to random bodies and headers', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            query: fc.oneof(
              fc.string({ maxLength: 80 }),
              fc.constantFrom(
                '{ me { id } }',
                '{ incidents { total } }',
                'mutation { logout(input: {refreshToken: "x"}) }',
              ),
            ),
            variables: fc.jsonValue({ maxDepth: 2 }),
            operationName: fc.option(fc.string({ maxLength: 10 })),
          },
          { requiredKeys: ['query'] },
        )
        .map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 80 }),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/graphql-response+json',
      'text/plain',
      'application/json; charset=latin1',
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, fc.boolean(), async (sent, type, withToken) => {
        const headers: Record<string, string> = { 'content-type': type, 'apollo-require-preflight': '1' };
        if (withToken) headers.authorization = `Bearer ${org.owner.token}`;
        const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers, body: sent });
        expect(res.status).toBeLessThan(500);
      }),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('inbound alert ingestion never answers 500 and a refused delivery writes nothing', async () => {
    const source = await org.webhookSource({ kind: 'generic', verification: 'bearer' });
    const authorization = fc.oneof(
      fc.constant(`Bearer ${source.bearer_token}`),
      fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`),
    );
    const payload = fc
      .oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record(
          {
            title: fc.oneof(fc.string({ maxLength: 40 }), fc.integer()),
            severity: fc.oneof(fc.constantFrom('critical', 'P2', 'nonsense'), fc.integer()),
            dedup_key: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null)),
            action: fc.constantFrom('trigger', 'resolve', 'acknowledge', 'explode'),
            started_at: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.string({ maxLength: 10 })),
          },
          { requiredKeys: [] },
        ),
      )
      .map((v) => JSON.stringify(v));
    await fc.assert(
      fc.asyncProperty(authorization, payload, async (auth, sent) => {
        const before = await snapshot();
        const res = await fetch(`${t.url}/api/v1/webhook-sources/${source.id}/alerts`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: sent,
        });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(await snapshot()).toEqual(before);
      }),
      { ...RUNS, numRuns: 40 },
    );
  });
});
