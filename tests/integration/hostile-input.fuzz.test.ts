import fc from 'fast-check';
import {
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { getSchema } from '../../src/app/schema';
import { MAX_JSON_DEPTH } from '../../src/core/input-bounds';
import { TestApp, startTestApp } from '../support/app';
import { SeedOrg, seedOrg } from '../support/seed';

/**
 * The classes of hostile input, over every REST route of the served OpenAPI document and every argument of every
 * GraphQL root field: a NUL byte in any string, malformed percent-encoding and NUL in path parameters, JSON nested
 * far deeper than the bound, and forged pagination cursors. Each answer must be a 4xx in the documented error shape
 * (or a success), never a 5xx. Seeded and bounded.
 */
let t: TestApp;
let org: SeedOrg;
let schema: GraphQLSchema;
let openApi: {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
};

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
}

beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
  schema = await getSchema();
  openApi = await (await fetch(`${t.url}/api/v1/openapi.json`)).json();
});
afterAll(() => t.close());

const NUL = 'a\u0000b';
/** JSON text nested `levels` deep (as text: JSON.stringify itself overflows the stack on such values). */
const deepObject = (levels: number) => `${'{"k":'.repeat(levels)}"x"${'}'.repeat(levels)}`;
const deepArray = (levels: number) => `${'['.repeat(levels)}"x"${']'.repeat(levels)}`;
/** A placeholder replaced by raw JSON text once the surrounding value is serialized. */
const RAW = '\u0001raw\u0001';
const base64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** Cursors a client can forge: operator objects, wrong value types, arrays, extra keys, NUL, not JSON at all. */
const FORGED_CURSORS = [
  base64url({ s: '-createdAt', v: { $ne: null }, id: '00000000-0000-4000-8000-000000000000' }),
  base64url({ s: '-createdAt', v: '2026-01-01T00:00:00Z', id: { $gt: '' } }),
  base64url({ s: '-createdAt', v: ['a', 'b'], id: '00000000-0000-4000-8000-000000000000' }),
  base64url({ s: '-createdAt', v: 'not a date', id: '00000000-0000-4000-8000-000000000000' }),
  base64url({ s: '-createdAt', v: 12, id: 'not-a-uuid' }),
  base64url({ s: 'name', v: NUL, id: '00000000-0000-4000-8000-000000000000' }),
  base64url({ s: 'name', v: 1e308 * 10, id: '00000000-0000-4000-8000-000000000000' }),
  base64url({ s: '-createdAt', v: '2026-01-01T00:00:00Z', id: '00000000-0000-4000-8000-000000000000', $or: [] }),
  Buffer.from(deepObject(500)).toString('base64url'),
  base64url('{"s":'),
  '%%%',
];
const MALFORMED_SEGMENTS = ['%E0%A4%A', '%', '%zz', '%C0%AF', 'a%00b', '%00'];

function expectHandled(where: string, status: number, body: unknown, surface: 'rest' | 'graphql') {
  const described = `${where} → ${status} ${JSON.stringify(body)?.slice(0, 300)}`;
  expect({ where: described, fiveHundred: status >= 500 }).toEqual({ where: described, fiveHundred: false });
  if (status >= 400) {
    const code =
      surface === 'rest'
        ? (body as { error?: { code?: unknown } })?.error?.code
        : (body as { errors?: Array<{ extensions?: { code?: unknown } }> })?.errors?.[0]?.extensions?.code;
    expect({ where: described, code: typeof code }).toEqual({ where: described, code: 'string' });
  }
}

async function send(method: string, path: string, body?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${org.owner.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // kept as text: expectHandled reports it
  }
  return { status: res.status, body: parsed };
}

/** Every operation of the served OpenAPI document, with its path parameters filled by `fill`. */
function restOperations(): Array<{ method: string; template: string; op: OpenApiOperation }> {
  const out: Array<{ method: string; template: string; op: OpenApiOperation }> = [];
  for (const [template, methods] of Object.entries(openApi.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
        out.push({ method: method.toUpperCase(), template, op });
    }
  }
  return out;
}
const fillPath = (template: string, value: (name: string) => string) =>
  template.replace(/\{(\w+)\}/g, (_m, name: string) => value(name));
const bodyProperties = (op: OpenApiOperation): string[] => {
  let schemaOf = op.requestBody?.content?.['application/json']?.schema;
  if (schemaOf?.$ref) schemaOf = openApi.components.schemas[schemaOf.$ref.split('/').pop()!];
  return Object.keys(schemaOf?.properties ?? {});
};

describe('every REST route', () => {
  it('derives its routes from the OpenAPI document the server serves', () => {
    expect(restOperations().length).toBeGreaterThan(50);
  });

  it('answers malformed percent-encoding and NUL in every path parameter with a 4xx', async () => {
    let tried = 0;
    for (const { method, template } of restOperations()) {
      if (!template.includes('{')) continue;
      for (const segment of MALFORMED_SEGMENTS) {
        const path = fillPath(template, () => segment);
        const res = await send(method, path, method === 'GET' || method === 'DELETE' ? undefined : '{}');
        expectHandled(`${method} ${path}`, res.status, res.body, 'rest');
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(100);
  });

  it('answers NUL in every query parameter and every body field, and deep JSON in every body, with a 4xx', async () => {
    for (const { method, template, op } of restOperations()) {
      const path = fillPath(template, () => '00000000-0000-4000-8000-000000000000');
      if (method === 'GET') {
        for (const p of op.parameters ?? []) {
          if (p.in !== 'query') continue;
          const res = await send(method, `${path}?${encodeURIComponent(p.name)}=${encodeURIComponent(NUL)}`);
          expectHandled(`${method} ${path}?${p.name}=NUL`, res.status, res.body, 'rest');
        }
        continue;
      }
      const properties = bodyProperties(op);
      for (const name of properties) {
        const res = await send(method, path, JSON.stringify({ [name]: NUL }));
        expectHandled(`${method} ${path} {${name}: NUL}`, res.status, res.body, 'rest');
      }
      for (const name of [...properties.slice(0, 3), 'attributes']) {
        for (const deep of [deepObject(5000), deepArray(5000)]) {
          const res = await send(method, path, `{${JSON.stringify(name)}:${deep}}`);
          expectHandled(`${method} ${path} {${name}: 5000 levels}`, res.status, res.body, 'rest');
        }
      }
      const res = await send(method, path, JSON.stringify({ [NUL]: 'x' }));
      expectHandled(`${method} ${path} NUL key`, res.status, res.body, 'rest');
    }
  });

  it('refuses forged cursors on every list route with 400 naming cursor', async () => {
    const lists = restOperations().filter(
      ({ method, op }) => method === 'GET' && (op.parameters ?? []).some((p) => p.name === 'cursor'),
    );
    expect(lists.length).toBeGreaterThan(10);
    for (const { template } of lists) {
      const path = fillPath(template, () => '00000000-0000-4000-8000-000000000000');
      for (const cursor of FORGED_CURSORS) {
        const res = await send('GET', `${path}?cursor=${encodeURIComponent(cursor)}`);
        expectHandled(`GET ${path}?cursor=${cursor.slice(0, 40)}`, res.status, res.body, 'rest');
        if (!template.includes('{')) {
          expect(res.status).toBe(400);
          expect((res.body as { error: { details: Array<{ field: string }> } }).error.details[0].field).toBe('cursor');
        }
      }
    }
  });

  it('never answers 5xx to random strings with NUL in a create body or random forged cursors (seeded)', async () => {
    const creates = restOperations().filter(({ method, template }) => method === 'POST' && !template.includes('{'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...creates),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        async ({ template, op }, before, after) => {
          const properties = bodyProperties(op);
          const body = Object.fromEntries(properties.map((p) => [p, `${before}\u0000${after}`]));
          const res = await send('POST', template, JSON.stringify(body));
          expectHandled(`POST ${template}`, res.status, res.body, 'rest');
          expect(res.status).toBeLessThan(500);
        },
      ),
      { seed: 18, numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom('/api/v1/incidents/', '/api/v1/teams/', '/api/v1/change-requests/?sort=number'),
        async (value, path) => {
          const cursor = base64url({ s: '-createdAt', v: value, id: value });
          const res = await send('GET', `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`);
          expect(res.status).toBe(400);
        },
      ),
      { seed: 18, numRuns: 40 },
    );
  });
});

/** A value of `type` in which every string leaf is `text` and every free-form JSON leaf is `json`. */
function valueOf(type: GraphQLInputType, text: string, json: unknown, depth = 0): unknown {
  if (isNonNullType(type)) return valueOf(type.ofType, text, json, depth);
  if (isListType(type)) return [valueOf(type.ofType, text, json, depth)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].name;
  if (isInputObjectType(named)) {
    if (depth > 3) return {};
    // Required fields, and the optional ones that carry the hostile value (text or free-form JSON), so that the
    // request gets as far as it can towards the database.
    const carries = (f: { type: GraphQLInputType }) =>
      isNonNullType(f.type) || ['String', 'JSONObject'].includes(getNamedType(f.type).name);
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter(carries)
        .map((f) => [f.name, valueOf(f.type, text, json, depth + 1)]),
    );
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case 'Int':
        return 1;
      case 'Float':
        return 0.5;
      case 'Boolean':
        return true;
      case 'DateTimeISO':
        return '2026-01-01T00:00:00Z';
      case 'JSONObject':
        return json;
      default:
        return text;
    }
  }
  return text;
}

function rootFields(): Array<{ operation: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }> {
  return [
    ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({ operation: 'query' as const, field })),
    ...Object.values(schema.getMutationType()!.getFields()).map((field) => ({ operation: 'mutation' as const, field })),
  ].filter(({ field }) => field.args.length > 0);
}

const typeString = (arg: GraphQLArgument) => String(arg.type);

async function graphql(
  operation: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  variables: Record<string, unknown>,
) {
  const defs = field.args.map((a) => `$${a.name}: ${typeString(a)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection =
    isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  const query = `${operation} Fuzz(${defs}) { ${field.name}(${args})${selection} }`;
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${org.owner.token}` },
    // Free-form JSON leaves marked RAW become JSON nested far past the bound.
    body: JSON.stringify({ query, variables })
      .split(JSON.stringify(RAW))
      .join(deepObject(MAX_JSON_DEPTH * 50)),
  });
  return { status: res.status, body: await res.json() };
}

describe('every GraphQL argument', () => {
  it('answers NUL in every string of every argument, deep JSON and forged cursors without a 5xx or an INTERNAL error', async () => {
    const fields = rootFields();
    expect(fields.length).toBeGreaterThan(50);
    for (const { operation, field } of fields) {
      for (const target of field.args) {
        const variants: Array<[string, Record<string, unknown>]> = [
          ['NUL', { [target.name]: valueOf(target.type, NUL, { note: NUL }) }],
          ['deep', { [target.name]: valueOf(target.type, 'x', RAW) }],
        ];
        if (target.name === 'cursor') for (const cursor of FORGED_CURSORS) variants.push(['cursor', { cursor }]);
        for (const [name, targetValue] of variants) {
          if (name === 'deep' && !JSON.stringify(targetValue).includes(JSON.stringify(RAW))) continue;
          // The other arguments only when required (an optional idempotency key would turn repeats into replays).
          const variables = Object.fromEntries(
            field.args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, valueOf(a.type, 'x', {})]),
          );
          Object.assign(variables, targetValue);
          const res = await graphql(operation, field, variables);
          const where = `${field.name}(${target.name}: ${name})`;
          expectHandled(where, res.status, res.body, 'graphql');
          const codes = (res.body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
          expect({ where, internal: codes.includes('INTERNAL') }).toEqual({ where, internal: false });
        }
      }
    }
  });

  it('refuses NUL and deep nesting written into the document itself', async () => {
    const literal = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.owner.token}` },
      body: JSON.stringify({ query: '{ incidents(filter: { q: "a\\u0000b" }) { total } }' }),
    });
    expect(literal.status).toBe(400);
    const nested = `mutation { createAsset(input: { name: "n", type: server, attributes: ${'{ a: '.repeat(100)}1${' }'.repeat(100)} }) { id } }`;
    const deep = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.owner.token}` },
      body: JSON.stringify({ query: nested }),
    });
    expect(deep.status).toBe(400);
    expect((await deep.json()).errors[0].message).toMatch(/levels deep/);
  });
});
