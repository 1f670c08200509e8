import { randomUUID } from 'node:crypto';
import {
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { getSchema } from '../../src/app/schema';
import { restRoutesOf } from '../../src/api/rest/routes';
import { toSnake } from '../../src/core/casing';
import { TestApp, startTestApp } from '../support/app';
import { errorCode, gqlRaw, rest } from '../support/client';
import { ACCOUNT_MUTATIONS, ENTITY_SPECS, EntitySpec } from '../support/entities';
import { RoleName, SeedOrg, SeedUser, seedOrg } from '../support/seed';

/**
 * The OWASP API Top 10 authorization risks, for every entity of ENTITY_SPECS and every mutation of the schema:
 * object level (BOLA: another organization's ids and keys in paths, filters, references and nested GraphQL), function
 * level (BFLA: each role against each mutation), mass assignment, and secrets that must not be readable again.
 */
let t: TestApp;
let schema: GraphQLSchema;
let owner: SeedOrg;
let intruder: SeedOrg;
const users: Partial<Record<RoleName, SeedUser>> = {};
/** One record of every entity in the owner's organization, by GraphQL type name. */
const victims = new Map<string, { id: string; key?: string }>();

const RANK: Record<RoleName, number> = { viewer: 0, responder: 1, admin: 2, owner: 3 };
const ROLES: RoleName[] = ['viewer', 'responder', 'admin', 'owner'];
const typeName = (spec: EntitySpec) => spec.single[0].toUpperCase() + spec.single.slice(1);

/** Runs `work` over `items`, `width` at a time (the matrices below are a few hundred requests). */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

beforeAll(async () => {
  t = await startTestApp();
  schema = await getSchema();
  [owner, intruder] = await Promise.all([seedOrg(t.url), seedOrg(t.url)]);
  for (const role of ['admin', 'responder', 'viewer'] as const) users[role] = await owner.user(role);
  users.owner = owner.owner;
  for (const spec of ENTITY_SPECS) victims.set(typeName(spec), await spec.make(owner));
  // API tokens are not in ENTITY_SPECS (they belong to their user); the audit log's apiTokenId filter points at one.
  victims.set(
    'ApiToken',
    (await rest(t.url, 'POST', '/api-tokens', { token: owner.owner.token, body: { name: 'victim' } })).body,
  );
});
afterAll(() => t.close());

/** The record type an id field points at: `serviceId` → the type of the entity's `service` field. */
function targetOf(entity: string, field: string): string | undefined {
  const type = schema.getType(entity) as GraphQLObjectType;
  const relation = field.replace(/Ids?$/, '');
  const candidates = [relation, `${relation}s`];
  for (const name of candidates) {
    const f = type.getFields()[name];
    if (f) return getNamedType(f.type).name;
  }
  const bySuffix: Array<[RegExp, string]> = [
    [/serviceId$/i, 'Service'],
    [/teamId$/i, 'Team'],
    [/incidentIds?$/i, 'Incident'],
    [/problemId$/i, 'Problem'],
    [/assetIds?$/i, 'Asset'],
    [/(user|assignee|implementer|approver|member|participant|actor|requester)Ids?$/i, 'User'],
    [/scheduleIds?$/i, 'OnCallSchedule'],
    [/policyId$/i, 'EscalationPolicy'],
    [/alertRuleId$/i, 'AlertRule'],
    [/apiTokenIds?$/i, 'ApiToken'],
  ];
  return bySuffix.find(([re]) => re.test(field))?.[1];
}

const isIdType = (type: GraphQLInputType) => ['UUID', 'IdOrKey', 'ID'].includes(getNamedType(type).name);
const isList = (type: GraphQLInputType) => isListType(isNonNullType(type) ? type.ofType : type);

/** A value of the right GraphQL type for every required field: enough to get past coercion to the role check. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[type.getValues().length - 1].name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  switch (getNamedType(type).name) {
    case 'UUID':
    case 'IdOrKey':
    case 'ID':
      return randomUUID();
    case 'DateTimeISO':
      return '2026-01-05T08:00:00Z';
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'JSONObject':
      return {};
    default:
      return 'x';
  }
}

/** GraphQL input keys → REST snake_case, recursively through input objects. */
function snakeInput(value: unknown, type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return snakeInput(value, type.ofType);
  if (isListType(type)) return (value as unknown[]).map((v) => snakeInput(v, type.ofType));
  if (!isInputObjectType(type) || typeof value !== 'object' || value === null) return value;
  const fields = type.getFields();
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [toSnake(k), snakeInput(v, fields[k].type)]));
}

describe('function-level authorization (BFLA): every role against every mutation', () => {
  /** The least role of each mutation, from ENTITY_SPECS and ACCOUNT_MUTATIONS; undefined when nobody declared one. */
  function expectedRole(name: string): RoleName | 'public' | undefined {
    if (ACCOUNT_MUTATIONS[name]) return ACCOUNT_MUTATIONS[name];
    for (const spec of ENTITY_SPECS) {
      const Name = typeName(spec);
      if (name === `create${Name}`) return spec.roles?.create ?? spec.writeRole;
      if (name === `update${Name}`) return spec.roles?.update ?? spec.writeRole;
      if (name === `delete${Name}`) return spec.roles?.delete ?? spec.writeRole;
      if (spec.mutations?.[name]) return spec.mutations[name];
    }
    return undefined;
  }

  const mutations = () => Object.values(schema.getMutationType()!.getFields());
  const protectedMutations = () =>
    mutations()
      .map((field) => ({ field, role: expectedRole(field.name) }))
      .filter(
        (m): m is { field: GraphQLField<unknown, unknown>; role: RoleName } =>
          m.role !== undefined && m.role !== 'public',
      );

  it('knows the least role of every mutation in the schema (declare a new one in tests/support/entities.ts)', () => {
    expect(
      mutations()
        .filter((f) => expectedRole(f.name) === undefined)
        .map((f) => f.name),
    ).toEqual([]);
    expect(protectedMutations().length).toBeGreaterThan(50);
  });

  it('answers each mutation with FORBIDDEN below its role, UNAUTHENTICATED without a token, and lets the role through', async () => {
    const outcomes: string[] = [];
    await inParallel(protectedMutations(), 6, async ({ field, role }) => {
      const variables = Object.fromEntries(
        field.args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, sample(a.type)]),
      );
      const declarations = field.args.filter((a) => a.name in variables).map((a) => `$${a.name}: ${a.type.toString()}`);
      const call = `${field.name}${
        declarations.length
          ? `(${Object.keys(variables)
              .map((n) => `${n}: $${n}`)
              .join(', ')})`
          : ''
      }`;
      const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
      const query = `mutation${declarations.length ? `(${declarations.join(', ')})` : ''} { ${call}${selection} }`;
      const callers: Array<RoleName | 'anonymous'> = ['anonymous', ...ROLES];
      const codes = await Promise.all(
        callers.map(
          async (caller) =>
            errorCode(
              await gqlRaw(t.url, { query, variables }, caller === 'anonymous' ? undefined : users[caller]!.token),
            ) ?? 'OK',
        ),
      );
      callers.forEach((caller, i) => {
        const expected =
          caller === 'anonymous' ? 'UNAUTHENTICATED' : RANK[caller] < RANK[role] ? 'FORBIDDEN' : 'allowed';
        const got =
          codes[i] === 'UNAUTHENTICATED' && caller === 'anonymous'
            ? 'UNAUTHENTICATED'
            : codes[i] === 'FORBIDDEN'
              ? 'FORBIDDEN'
              : codes[i] === 'INTERNAL'
                ? 'INTERNAL'
                : 'allowed';
        outcomes.push(
          `${field.name} as ${caller}: ${got === expected ? 'as expected' : `expected ${expected}, got ${codes[i]}`}`,
        );
      });
    });
    expect(outcomes).toHaveLength(protectedMutations().length * 5);
    expect(outcomes.filter((o) => !o.endsWith('as expected'))).toEqual([]);
  });

  it('answers the same on REST: 403 one role below, and not 403 at the role', async () => {
    const outcomes: string[] = [];
    let calls = 0;
    await inParallel(protectedMutations(), 6, async ({ field, role }) => {
      const route = restRoutesOf(schema).get(`Mutation.${field.name}`);
      if (!route) {
        outcomes.push(`${field.name}: no REST route`);
        return;
      }
      const values: Record<string, unknown> = Object.fromEntries(field.args.map((a) => [a.name, sample(a.type)]));
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => String(values[name] ?? randomUUID()));
      const bodyArg = route.bodyArgument ?? (field.args.some((a) => a.name === 'input') ? 'input' : undefined);
      const arg = field.args.find((a) => a.name === bodyArg);
      const body = route.method === 'DELETE' ? undefined : arg ? snakeInput(values[arg.name], arg.type) : {};
      const below = ROLES.filter((r) => RANK[r] < RANK[role]).pop();
      const callers = [...(below ? [below] : []), role];
      for (const caller of callers) {
        const res = await rest(t.url, route.method, path, { token: users[caller]!.token, body });
        calls += 1;
        const forbidden = res.status === 403;
        const expectForbidden = caller !== role;
        if (res.status >= 500 || forbidden !== expectForbidden)
          outcomes.push(`${route.method} ${route.path} as ${caller}: ${res.status} ${res.body?.error?.code}`);
      }
    });
    expect(outcomes).toEqual([]);
    expect(calls).toBeGreaterThan(protectedMutations().length);
  });
});

/** Entities with an update (read-only logs have none). */
const UPDATABLE = ENTITY_SPECS.filter((spec) => spec.update);

describe('object-level authorization (BOLA)', () => {
  it('finds nothing of another organization by its ids in any id filter of any list, on both surfaces', async () => {
    const leaks: string[] = [];
    let checked = 0;
    await inParallel(ENTITY_SPECS, 4, async (spec) => {
      const filterArg = schema
        .getQueryType()!
        .getFields()
        [spec.plural].args.find((a) => a.name === 'filter')!;
      const filter = getNamedType(filterArg.type) as GraphQLInputObjectType;
      for (const field of Object.values(filter.getFields()).filter((f) => isIdType(f.type))) {
        const target = field.name === 'id' ? typeName(spec) : targetOf(typeName(spec), field.name);
        const victim = target && victims.get(target);
        if (!victim) {
          leaks.push(`${spec.plural}.${field.name}: no record to point at (${target})`);
          continue;
        }
        const viaRest = await rest(t.url, 'GET', `${spec.path}?${toSnake(field.name)}=${victim.id}`, {
          token: intruder.owner.token,
        });
        const value = isList(field.type) ? [victim.id] : victim.id;
        const viaGraphQL = await gqlRaw(
          t.url,
          {
            query: `query($f: ${filter.name}) { ${spec.plural}(filter: $f) { total } }`,
            variables: { f: { [field.name]: value } },
          },
          intruder.owner.token,
        );
        checked += 1;
        if (viaRest.status !== 200 || viaRest.body.total !== 0 || viaGraphQL.data?.[spec.plural]?.total !== 0) {
          leaks.push(
            `${spec.plural}?${toSnake(field.name)}: REST ${viaRest.status} ${viaRest.body?.total}, GraphQL ${JSON.stringify(viaGraphQL.data ?? viaGraphQL.errors)}`,
          );
        }
      }
    });
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it("finds the owner's own record by the same filter (the filters do work)", async () => {
    const service = await owner.service();
    const incident = await owner.incident({ service_id: service.id });
    const own = await rest(t.url, 'GET', `/incidents?service_id=${service.id}`, { token: owner.owner.token });
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual([incident.id]);
    const foreign = await rest(t.url, 'GET', `/incidents?service_id=${service.id}`, { token: intruder.owner.token });
    expect(foreign.body).toEqual({ items: [], total: 0, next_cursor: null });
  });

  it("refuses another organization's record in every id field of every update input, naming the field", async () => {
    const problems: string[] = [];
    let checked = 0;
    await inParallel(UPDATABLE, 4, async (spec) => {
      const own = await spec.make(intruder);
      const mutation = schema.getMutationType()!.getFields()[`update${typeName(spec)}`];
      const input = getNamedType(mutation.args.find((a) => a.name === 'input')!.type) as GraphQLInputObjectType;
      for (const field of Object.values(input.getFields()).filter((f) => isIdType(f.type))) {
        const target = targetOf(typeName(spec), field.name);
        const victim = target && victims.get(target);
        if (!victim) {
          problems.push(`${spec.name}.${field.name}: no record to point at (${target})`);
          continue;
        }
        const snake = toSnake(field.name);
        const value = isList(field.type) ? [victim.id] : victim.id;
        const res = await rest(t.url, 'PATCH', `${spec.path}/${own.id}`, {
          token: intruder.owner.token,
          body: { [snake]: value },
        });
        checked += 1;
        if (res.status !== 400 || res.body.error.details?.[0]?.field !== snake)
          problems.push(`${spec.name}.${snake}: ${res.status} ${JSON.stringify(res.body.error ?? res.body)}`);
      }
    });
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('never reaches another organization through nested GraphQL fields', async () => {
    const team = await owner.team({ member_ids: [owner.owner.id] });
    const service = await owner.service({ team_id: team.id });
    const incident = await owner.incident({ service_id: service.id });
    const byKey = await gqlRaw(
      t.url,
      { query: `{ incident(id: "${incident.key}") { service { id team { members { id email } } } } }` },
      intruder.owner.token,
    );
    expect(errorCode(byKey)).toBe('NOT_FOUND');
    expect(JSON.stringify(byKey.data ?? null)).not.toContain(service.id);
    await intruder.incident();
    const everything = await gqlRaw(
      t.url,
      {
        query:
          '{ incidents(limit: 100) { items { id service { id } team { id members { id email } } problem { id incidents { id } } assignee { id } } } teams(limit: 100) { items { members { id } } } }',
      },
      intruder.owner.token,
    );
    expect(everything.errors).toBeUndefined();
    const text = JSON.stringify(everything.data);
    for (const id of [incident.id, service.id, team.id, owner.owner.id]) expect(text).not.toContain(id);
  });
});

describe('mass assignment', () => {
  /** Fields a client must never set: who owns a record, who made it, what the AI or the server decided, secrets. */
  const SERVER_OWNED = [
    'organization',
    'organizationId',
    'createdBy',
    'createdById',
    'requester',
    'requesterId',
    'aiGenerated',
    'autoClassified',
    'signingSecret',
    'bearerToken',
    'secret',
    'tokenVersion',
    'passwordHash',
    'mfaEnabled',
    'mfaSecret',
    'id',
    'key',
    'number',
    'createdAt',
    'updatedAt',
  ];

  it('has no server-owned field in any create or update input of the schema, and role only where users are managed', () => {
    const offenders: string[] = [];
    for (const type of Object.values(schema.getTypeMap()).filter(
      (t): t is GraphQLInputObjectType => isInputObjectType(t) && /^(Create|Update|Invite)/.test(t.name),
    )) {
      for (const name of Object.keys(type.getFields())) {
        if (SERVER_OWNED.includes(name)) offenders.push(`${type.name}.${name}`);
        // An API token's role is at most its creator's (api-tokens.test.ts, the role ceiling).
        if (name === 'role' && !['InviteUserInput', 'UpdateUserInput', 'CreateApiTokenInput'].includes(type.name))
          offenders.push(`${type.name}.role`);
      }
    }
    expect(offenders).toEqual([]);
  });

  const attempts: Record<string, unknown> = {
    organization_id: randomUUID(),
    created_by_id: randomUUID(),
    requester_id: randomUUID(),
    ai_generated: true,
    auto_classified: false,
    signing_secret: 'whsec_mine',
    token_version: 0,
    mfa_enabled: false,
    key: 'INC-1',
    id: randomUUID(),
    created_at: '2020-01-01T00:00:00Z',
    role: 'owner',
  };

  it('refuses each server-owned field in an update with 400 naming it', async () => {
    const incident = await owner.incident();
    const answers = await Promise.all(
      Object.entries(attempts).map(async ([field, value]) => {
        const res = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
          token: owner.owner.token,
          body: { title: 'Changed', [field]: value },
        });
        return [field, res.status, res.body.error?.details?.[0]?.field];
      }),
    );
    expect(answers).toEqual(Object.keys(attempts).map((field) => [field, 400, field]));
  });

  it("refuses server-owned fields in every entity's REST update and GraphQL update, and changes nothing", async () => {
    const problems: string[] = [];
    await inParallel(UPDATABLE, 4, async (spec) => {
      const record = await spec.make(owner);
      const before = await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: owner.owner.token });
      const { role: _role, ...notRole } = attempts;
      const body = { ...spec.update, ...(spec.name === 'user' ? notRole : attempts) };
      const viaRest = await rest(t.url, 'PATCH', `${spec.path}/${record.id}`, { token: owner.owner.token, body });
      if (viaRest.status !== 400 || !(viaRest.body.error.details?.[0]?.field in attempts))
        problems.push(`${spec.name}: REST ${viaRest.status}`);
      const Name = typeName(spec);
      const input = getNamedType(
        schema
          .getMutationType()!
          .getFields()
          [`update${Name}`].args.find((a) => a.name === 'input')!.type,
      ).name;
      const viaGraphQL = await gqlRaw(
        t.url,
        {
          query: `mutation($id: ${spec.keyed ? 'IdOrKey' : 'UUID'}!, $input: ${input}!) { update${Name}(id: $id, input: $input) { id } }`,
          variables: { id: record.id, input: { organizationId: randomUUID(), createdById: randomUUID() } },
        },
        owner.owner.token,
      );
      if (errorCode(viaGraphQL) !== 'VALIDATION_FAILED')
        problems.push(`${spec.name}: GraphQL ${errorCode(viaGraphQL)}`);
      const after = await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: owner.owner.token });
      if (JSON.stringify(after.body) !== JSON.stringify(before.body))
        problems.push(`${spec.name}: changed by a refused update`);
    });
    expect(problems).toEqual([]);
  });

  it('refuses them in creates too, and creates nothing', async () => {
    const count = async (path: string) =>
      (await rest(t.url, 'GET', `${path}?limit=1`, { token: owner.owner.token })).body.total as number;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/incidents', { title: 'Mass', severity: 'P3' }, 'organization_id'],
      ['/incidents', { title: 'Mass', severity: 'P3' }, 'auto_classified'],
      ['/change-requests', { title: 'Mass' }, 'requester_id'],
      ['/postmortems', { incident_id: victims.get('Incident')!.id, title: 'Mass' }, 'ai_generated'],
      ['/webhook-sources', { name: 'Mass', kind: 'generic' }, 'signing_secret'],
      [
        '/alert-rules',
        { name: 'Mass', event_types: ['incident.created'], target_url: 'https://203.0.113.10/' },
        'signing_secret',
      ],
      ['/users', { email: 'mass@example.test', name: 'Mass', role: 'viewer' }, 'organization_id'],
      ['/teams', { name: 'Mass' }, 'created_by_id'],
    ];
    for (const [path, body, field] of cases) {
      const before = await count(path);
      const res = await rest(t.url, 'POST', path, {
        token: owner.owner.token,
        body: { ...body, [field]: field === 'ai_generated' ? false : owner.owner.id },
      });
      expect([path, field, res.status, res.body.error?.details?.[0]?.field]).toEqual([path, field, 400, field]);
      expect([path, await count(path)]).toEqual([path, before]);
    }
  });
});

describe('secrets', () => {
  it('are shown in the response that creates them and never again, on any list or record of either surface', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const bearer = await org.webhookSource({ kind: 'alertmanager' });
    const rule = await org.alertRule();
    const rotated = await rest(t.url, 'POST', `/webhook-sources/${source.id}/rotate-secret`, {
      token: org.owner.token,
      body: {},
    });
    const invited = await rest(t.url, 'POST', '/users', {
      token: org.owner.token,
      body: { email: `s-${randomUUID().slice(0, 8)}@example.test`, name: 'S', role: 'viewer' },
    });
    const enrolled = await rest(t.url, 'POST', '/auth/mfa/enroll', {
      token: org.owner.token,
      body: { password: 'correct horse battery staple' },
    });
    const secrets = [
      source.signing_secret,
      bearer.bearer_token,
      rule.signing_secret,
      rotated.body.signing_secret,
      invited.body.invitation_token,
      enrolled.body.secret,
      org.owner.refreshToken,
      org.owner.token,
    ];
    expect(secrets.every((s) => typeof s === 'string' && s.length >= 20)).toBe(true);
    const reads = [
      ...ENTITY_SPECS.map((spec) => rest(t.url, 'GET', `${spec.path}?limit=100`, { token: org.owner.token })),
      rest(t.url, 'GET', `/webhook-sources/${source.id}`, { token: org.owner.token }),
      rest(t.url, 'GET', `/alert-rules/${rule.id}`, { token: org.owner.token }),
      rest(t.url, 'GET', `/users/${invited.body.user.id}`, { token: org.owner.token }),
      rest(t.url, 'GET', '/webhook-deliveries?limit=100', { token: org.owner.token }),
      rest(t.url, 'GET', '/auth/me', { token: org.owner.token }),
    ];
    const graphql = gqlRaw(
      t.url,
      {
        query:
          '{ me { id } webhookSources { items { id name kind verification signingSecret bearerToken } } alertRules { items { id signingSecret targetUrl } } users { items { id email mfaEnabled } } }',
      },
      org.owner.token,
    );
    const text =
      JSON.stringify(await Promise.all(reads.map(async (r) => (await r).body))) + JSON.stringify((await graphql).data);
    expect(text).toContain(source.id);
    for (const secret of secrets.slice(0, -2)) expect(text).not.toContain(secret);
  });

  it('have no field at all on the types that reads return, except the always-null ones of alert rules and webhook sources', () => {
    const shownOnce = ['AuthPayload', 'UserInvitation', 'MfaEnrollment', 'MfaRecoveryCodes'];
    const offenders: string[] = [];
    for (const type of Object.values(schema.getTypeMap()).filter(
      (t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'),
    )) {
      if (shownOnce.includes(type.name) || ['Query', 'Mutation'].includes(type.name)) continue;
      for (const name of Object.keys(type.getFields())) {
        // The alert rule's, the webhook source's and the API token's secrets are null on every read (shown in the
        // create
        // answer only); secretRotatedAt is a time, an API token's prefix its first characters, apiTokenId an id.
        const notSecrets = [
          'AlertRule.signingSecret',
          'WebhookSource.signingSecret',
          'WebhookSource.bearerToken',
          'WebhookSource.secretRotatedAt',
          'ApiToken.token',
          'ApiToken.tokenPrefix',
          'AuditEvent.apiTokenId',
        ];
        if (/secret|password|token|hash|recovery/i.test(name) && !notSecrets.includes(`${type.name}.${name}`)) {
          offenders.push(`${type.name}.${name}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
