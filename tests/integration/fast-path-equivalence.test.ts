import { rest, gqlRaw } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { ServerProcess, dropOwnDatabase, ownDatabase, startServer, stopServer } from '../support/server-process';
import { TEST_JWT_SECRET } from '../support/app';
import { StormSource, genericDelivery, send } from '../support/storm';

/**
 * Every fast path against the plain ORM path it stands in for: two processes on one database, one with every fast
 * path (lists, compiled reads, one-statement creation) and one with ARGUS_FAST_PATHS=none, asked the same things.
 */
let fast: ServerProcess;
let plain: ServerProcess;
let databaseUrl: string;
let org: SeedOrg;

beforeAll(async () => {
  databaseUrl = await ownDatabase('fastpaths');
  const env = {
    DATABASE_URL: databaseUrl,
    ARGUS_JWT_SECRET: TEST_JWT_SECRET,
    ARGUS_DEMO_DATA: 'false',
    ARGUS_RATE_LIMIT_PER_USER: '100000',
    LOG_LEVEL: 'warn',
  };
  fast = await startServer(env);
  plain = await startServer({ ...env, ARGUS_FAST_PATHS: 'none' });
  org = await seedOrg(fast.url);
}, 180_000);

afterAll(async () => {
  await Promise.all([fast && stopServer(fast.child), plain && stopServer(plain.child)]);
  await dropOwnDatabase(databaseUrl);
});

/**
 * What differs between two creations of the same input: ids, keys, numbers and times, and the classifier's suggestion
 * (the second creation is classified with the first among the organization's history).
 */
const VOLATILE = new Set([
  'classification_confidence',
  'suggested_severity',
  'id',
  'key',
  'number',
  'created_at',
  'updated_at',
  'started_at',
  'sla_started_at',
  'sla_response_due_at',
  'sla_resolution_due_at',
  'occurred_at',
  'incident_id',
  'createdAt',
  'updatedAt',
  'occurredAt',
]);
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !VOLATILE.has(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return typeof value === 'string' ? value.replace(/suggested P\d/, 'suggested P?') : value;
}

async function both(method: string, path: string, body?: unknown) {
  const [a, b] = [
    await rest(fast.url, method, path, { token: org.owner.token, body }),
    await rest(plain.url, method, path, { token: org.owner.token, body }),
  ];
  return { fast: a, plain: b };
}

describe('the fast paths and the plain ORM path answer alike', () => {
  let service: { id: string };
  beforeAll(async () => {
    service = await org.service({ name: 'Checkout' });
    const team = await org.team({ name: 'Payments' });
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    for (const [i, severity] of ['P1', 'P2', 'P2', 'P3', 'P4', 'P1'].entries()) {
      const target = i % 2 ? plain : fast;
      const res = await rest(target.url, 'POST', '/incidents', {
        token: org.owner.token,
        body: {
          title: `Checkout errors ${i}`,
          severity,
          service_id: i % 3 ? service.id : null,
          team_id: i % 2 ? team.id : null,
          tags: i % 2 ? ['db'] : [],
        },
      });
      expect(res.status).toBe(201);
      await rest(target.url, 'POST', '/incident-events', {
        token: org.owner.token,
        body: { incident_id: res.body.id, message: `note ${i}` },
      });
    }
  });

  it('creates an incident with the same record, timeline and SLA clocks (one statement or a flush)', async () => {
    const input = {
      title: 'Payments API returns 502',
      description: 'Card payments fail',
      severity: 'P1',
      service_id: service.id,
      tags: ['api'],
    };
    const created = await both('POST', '/incidents', input);
    expect([created.fast.status, created.plain.status]).toEqual([201, 201]);
    expect(stable(created.plain.body)).toEqual(stable(created.fast.body));
    const keys = [created.fast.body.key, created.plain.body.key];
    expect(new Set(keys).size).toBe(2);
    // Each read back through the other process: the same record, and the same timeline.
    for (const key of keys) {
      const read = await both('GET', `/incidents/${key}`);
      expect(read.plain.body).toEqual(read.fast.body);
      const timeline = await both('GET', `/incident-events?incident_id=${key}`);
      expect(timeline.plain.body).toEqual(timeline.fast.body);
      expect(timeline.fast.body.items.map((e: { type: string }) => e.type)).toEqual(['created']);
    }
    expect(stable((await both('GET', `/incident-events?incident_id=${keys[1]}`)).fast.body)).toEqual(
      stable((await both('GET', `/incident-events?incident_id=${keys[0]}`)).fast.body),
    );
  });

  it('takes alerts that fire again on their open incident alike (one statement or the ORM path)', async () => {
    const created = await org.webhookSource({ kind: 'generic', default_severity: 'P3' });
    const source: StormSource = { id: created.id, kind: 'generic', signingSecret: created.signing_secret };
    const timelines: unknown[] = [];
    for (const [name, server] of [
      ['fast', fast],
      ['plain', plain],
    ] as const) {
      const answers = [];
      // Opened, then fired again twice: the repeats are the append path's.
      for (let i = 0; i < 3; i++)
        answers.push(await send(server.url, genericDelivery(source, `disk-${name}`, 'trigger')));
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
      expect(answers.map((a) => a.body.incidents[0].action)).toEqual(['opened', 'appended', 'appended']);
      const key = answers[0].body.incidents[0].key as string;
      timelines.push(
        (
          await rest(server.url, 'GET', `/incident-events?incident_id=${key}&sort=occurred_at&limit=10`, {
            token: org.owner.token,
          })
        ).body,
      );
    }
    const normalized = timelines.map((t) =>
      JSON.parse(JSON.stringify(stable(t)).replace(/disk-(fast|plain)/g, 'disk-x')),
    );
    expect(normalized[1]).toEqual(normalized[0]);
    expect((normalized[0] as { items: Array<{ type: string }> }).items.map((e) => e.type)).toEqual([
      'created',
      'alert',
      'alert',
      'alert',
    ]);
  });

  it('reads list pages, totals, filters, sorts and cursors alike on REST', async () => {
    const paths = [
      '/incidents?limit=3',
      '/incidents?limit=50&sort=severity',
      '/incidents?severity=P1,P2&sort=created_at',
      `/incidents?service_id=${service.id}&tags=db`,
      '/incidents?q=checkout&limit=2&sort=-updated_at',
      '/incident-events?type=comment&limit=4',
      '/services',
      '/teams?q=pay',
      '/sla-policies',
    ];
    for (const path of paths) {
      const page = await both('GET', path);
      expect([page.fast.status, page.plain.status]).toEqual([200, 200]);
      expect(page.plain.body).toEqual(page.fast.body);
      if (page.fast.body.next_cursor) {
        const next = await both(
          'GET',
          `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(page.fast.body.next_cursor)}`,
        );
        expect(next.plain.body).toEqual(next.fast.body);
      }
    }
  });

  it('reads GraphQL lists with totals, relations and the newest timeline entries alike', async () => {
    const query = `{ incidents(limit: 10, sort: "-created_at") { total nextCursor items { key title severity status tags
      service { name } team { name } slaResponseDueAt timeline(limit: 2) { type message actor { email } } } } }`;
    const [a, b] = [
      await gqlRaw(fast.url, { query }, org.owner.token),
      await gqlRaw(plain.url, { query }, org.owner.token),
    ];
    expect(a.errors).toBeUndefined();
    expect(b).toEqual(a);
    expect((a.data as { incidents: { items: unknown[] } }).incidents.items.length).toBe(10);
  });

  it('refuses the same bad input alike', async () => {
    for (const path of [
      '/incidents?severity=P9',
      '/incidents?cursor=forged',
      '/incidents?sort=nope',
      '/incidents?limit=0',
    ]) {
      const page = await both('GET', path);
      expect(page.fast.status).toBe(400);
      expect(page.plain.body).toEqual(page.fast.body);
    }
  });
});
