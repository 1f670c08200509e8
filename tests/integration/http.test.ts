import SwaggerParser from '@apidevtools/swagger-parser';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg } from '../support/seed';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('health', () => {
  it('answers /healthz and /readyz without a token', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('echoes a request id, or makes one', async () => {
    const given = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await fetch(`${t.url}/healthz`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the GraphQL playground', () => {
  it('serves GraphiQL to a browser at /graphql with no external script or style', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs/i);
  });

  it('still answers GraphQL GET queries from API clients', async () => {
    const org = await seedOrg(t.url);
    const res = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { accept: 'application/graphql-response+json', authorization: `Bearer ${org.owner.token}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).data.me.id).toBe(org.owner.id);
  });

  it('refuses mutations over GET', async () => {
    const res = await fetch(
      `${t.url}/graphql?query=${encodeURIComponent('mutation { logout(input: {refreshToken: "x"}) }')}`,
      {
        headers: { accept: 'application/json', 'apollo-require-preflight': '1' },
      },
    );
    expect(res.status).toBe(405);
  });
});

describe('the REST reference', () => {
  it('publishes a valid OpenAPI 3 document of the documented routes', async () => {
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/incidents',
        '/api/v1/incidents/{id}',
        '/api/v1/webhook-sources/{id}/alerts',
      ]),
    );
    // SOFA's subscription route (/webhook) is not exposed; Argus's own webhook-* entities are.
    expect(Object.keys(doc.paths).filter((p) => /^\/api\/v1\/webhook(\/|$)/.test(p))).toEqual([]);
    expect(doc.paths['/api/v1/incidents'].post.responses).toHaveProperty('201');
    expect(doc.paths['/api/v1/incidents/{id}'].delete.responses).toHaveProperty('204');
  });

  it('describes flat snake_case bodies, filters as query parameters and relations by id', async () => {
    const doc = await (await fetch(`${t.url}/api/v1/openapi.json`)).json();
    const create = doc.paths['/api/v1/incidents'].post.requestBody.content['application/json'].schema.$ref;
    const input = doc.components.schemas[create.split('/').pop()];
    expect(Object.keys(input.properties)).toEqual(
      expect.arrayContaining(['title', 'severity', 'service_id', 'started_at']),
    );
    const incident = doc.components.schemas.Incident;
    expect(Object.keys(incident.properties)).toEqual(
      expect.arrayContaining(['key', 'service_id', 'auto_classified', 'classification_confidence']),
    );
    expect(incident.properties).not.toHaveProperty('service');
    const params = doc.paths['/api/v1/incidents'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(
      expect.arrayContaining([
        'limit',
        'cursor',
        'sort',
        'severity',
        'status',
        'service_id',
        'created_after',
        'created_before',
        'q',
      ]),
    );
    expect(params).not.toContain('filter');
  });

  it('serves a browsable reference page whose assets come from the API itself', async () => {
    const page = await fetch(`${t.url}/api/v1/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect([src, (await fetch(`${t.url}${src}`)).status]).toEqual([src, 200]);
  });

  it('turns off the outside validator Swagger UI would send the document URL to', async () => {
    const html = await (await fetch(`${t.url}/api/v1/docs`)).text();
    const options = /SwaggerUIBundle\((\{[^)]*\})\)/.exec(html)?.[1] ?? '';
    expect(options).toMatch(/\bvalidatorUrl: null\b/);
    expect(html).not.toMatch(/validator\.swagger\.io/);
  });
});

describe('REST paths', () => {
  it('accepts paths with and without the trailing slash', async () => {
    const org = await seedOrg(t.url);
    const a = await rest(t.url, 'GET', '/incidents', { token: org.owner.token });
    const b = await rest(t.url, 'GET', '/incidents/', { token: org.owner.token });
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
  });
});

describe('REST query strings', () => {
  it('reads Int filters as numbers and refuses text in them', async () => {
    const org = await seedOrg(t.url);
    const critical = await org.service({ tier: 1 });
    await org.service({ tier: 3 });
    const res = await rest(t.url, 'GET', '/services?tier=1,2', { token: org.owner.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual([critical.id]);
    const bad = await rest(t.url, 'GET', '/services?tier=one', { token: org.owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('tier');
  });
});
